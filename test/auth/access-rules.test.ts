// The pure parts of access control, tested as tables: the rule table (which routes are open,
// which are owner-only, which name their site where), what each role and each API key may do
// on a site, and the input checks on users. No server, no store: each case is microseconds, so
// every role × need × key flag is covered (issue 20: these decide who sees whose data).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type EffectiveRole,
  type Identity,
  isOwner,
  isSessionUser,
  keyAllows,
  roleAllows,
  type SiteNeed,
} from '../../src/auth/identity.js';
import { inviteUrl, isInvited } from '../../src/auth/invites.js';
import { resetUrl } from '../../src/auth/password-reset.js';
import { ACCESS_RULES, type Rule, ruleFor } from '../../src/auth/rules.js';
import { checkNewPassword, normalizeEmail, parseUserRole, userView } from '../../src/auth/users.js';
import { refused } from '../helpers/refusal.js';

const NEEDS: SiteNeed[] = ['read', 'write', 'admin'];
const ROLES: (EffectiveRole | undefined)[] = ['owner', 'admin', 'viewer', undefined];

describe('the rule table', () => {
  const keysWith = (allow: Rule['allow']) =>
    Object.entries(ACCESS_RULES)
      .filter(([, r]) => r.allow === allow)
      .map(([k]) => k)
      .sort();

  it('HEAD follows GET; other methods and unknown routes have no rule', () => {
    assert.deepEqual(ruleFor(ACCESS_RULES, 'HEAD', '/api/auth/me'), { allow: 'session' });
    assert.deepEqual(ruleFor(ACCESS_RULES, 'GET', '/api/auth/me'), { allow: 'session' });
    assert.deepEqual(ruleFor(ACCESS_RULES, 'POST', '/api/sites'), { allow: 'owner' });
    assert.equal(ruleFor(ACCESS_RULES, 'POST', '/api/auth/me'), undefined);
    assert.equal(ruleFor(ACCESS_RULES, 'GET', '/api/nothing'), undefined);
    // A HEAD route without a GET twin is not opened by the GET of another path.
    const only = { 'HEAD /x': { allow: 'public' } as Rule, 'GET /y': { allow: 'owner' } as Rule };
    assert.equal(ruleFor(only, 'HEAD', '/x'), undefined);
    assert.deepEqual(ruleFor(only, 'HEAD', '/y'), { allow: 'owner' });
  });

  it('only the tracking endpoints skip identity and origin checks', () => {
    assert.deepEqual(keysWith('tracking'), [
      'GET /a.gif',
      'GET /a.js',
      'GET /js/script.js',
      'GET /script.js',
      'OPTIONS /api/event',
      'OPTIONS /api/send',
      'POST /api/event',
      'POST /api/send',
    ]);
  });

  it('the routes anyone may call without signing in are exactly these', () => {
    assert.deepEqual(keysWith('public'), [
      'GET /',
      'GET /*',
      'GET /account',
      'GET /api/auth/setup-status',
      'GET /api/reports/unsubscribe',
      'GET /api/share/info',
      'GET /assets/:file',
      'GET /forgot',
      'GET /healthz',
      'GET /invite',
      'GET /login',
      'GET /metrics',
      'GET /reset',
      'GET /setup',
      'GET /share/:token',
      'GET /sites/:domain',
      'GET /sites/:domain/settings',
      'POST /api/auth/forgot',
      'POST /api/auth/invite',
      'POST /api/auth/login',
      'POST /api/auth/login/code',
      'POST /api/auth/login/enrol',
      'POST /api/auth/login/enrol/confirm',
      'POST /api/auth/reset',
      'POST /api/auth/setup',
      'POST /api/reports/unsubscribe',
      'POST /api/share/unlock',
    ]);
  });

  it('managing users, creating and deleting sites and requiring 2FA are for owners only', () => {
    assert.deepEqual(keysWith('owner'), [
      'DELETE /api/sites/:domain',
      'DELETE /api/users/:id',
      'GET /api/users',
      'POST /api/auth/2fa/required',
      'POST /api/sites',
      'POST /api/users',
    ]);
    assert.deepEqual(keysWith('signed-in'), ['GET /api/sites']);
  });

  it('every site rule names its site where the request carries it', () => {
    for (const [key, rule] of Object.entries(ACCESS_RULES)) {
      if (rule.allow !== 'site') continue;
      const url = key.split(' ')[1]!;
      if (rule.from === 'params') {
        assert.equal(rule.name, 'domain', key);
        assert.ok(url.includes(`/:${rule.name}`), key);
      } else {
        assert.equal(rule.name, 'site_id', key);
        assert.ok(url.startsWith('/api/v2/'), key);
      }
    }
    assert.deepEqual(ACCESS_RULES['POST /api/v2/query'], {
      allow: 'site',
      need: 'read',
      from: 'body',
      name: 'site_id',
    });
    assert.deepEqual(ACCESS_RULES['GET /api/v2/realtime'], {
      allow: 'site',
      need: 'read',
      from: 'query',
      name: 'site_id',
    });
    for (const k of ['POST /api/v2/journeys', 'POST /api/v2/funnel', 'POST /api/v2/prop-keys']) {
      assert.deepEqual(ACCESS_RULES[k], { allow: 'site', need: 'read', from: 'body', name: 'site_id' }, k);
    }
  });

  it('members and shares need admin, settings need write, stats read', () => {
    const need = (k: string) => {
      const r = ACCESS_RULES[k];
      return r?.allow === 'site' ? r.need : r?.allow;
    };
    assert.equal(need('GET /api/sites/:domain'), 'read');
    assert.equal(need('PATCH /api/sites/:domain'), 'write');
    assert.equal(need('DELETE /api/sites/:domain/members/:userId'), 'admin');
    assert.equal(need('POST /api/sites/:domain/shares'), 'admin');
    assert.equal(need('GET /api/sites/:domain/export'), 'write');
    assert.equal(need('POST /api/sites/:domain/segments'), 'read');
    assert.equal(need('PUT /api/sites/:domain/alerts'), 'write');
    assert.equal(need('GET /api/sites/:domain/funnels'), 'read');
    assert.equal(need('POST /api/sites/:domain/funnels'), 'write');
  });
});

describe('what a role and a key may do on a site', () => {
  it('roleAllows: owners and admins everything, viewers read, no role nothing', () => {
    const expected: Record<string, boolean[]> = {
      owner: [true, true, true],
      admin: [true, true, true],
      viewer: [true, false, false],
      undefined: [false, false, false],
    };
    for (const role of ROLES) {
      assert.deepEqual(
        NEEDS.map((n) => roleAllows(role, n)),
        expected[String(role)],
        String(role),
      );
    }
  });

  it('keyAllows: never admin, never outside its sites, never more than its user, only reads when read-only', () => {
    const sites = ['a.example'];
    // [read, write, admin] for a read-write key, then for a read-only key, on a.example.
    const expected: Record<string, [boolean[], boolean[]]> = {
      owner: [
        [true, true, false],
        [true, false, false],
      ],
      admin: [
        [true, true, false],
        [true, false, false],
      ],
      viewer: [
        [true, false, false],
        [true, false, false],
      ],
      undefined: [
        [false, false, false],
        [false, false, false],
      ],
    };
    for (const role of ROLES) {
      for (const [i, readOnly] of [false, true].entries()) {
        const got = NEEDS.map((n) => keyAllows({ readOnly, sites }, 'a.example', role, n));
        assert.deepEqual(got, expected[String(role)]![i], `${role} readOnly=${readOnly}`);
        const elsewhere = NEEDS.map((n) => keyAllows({ readOnly, sites }, 'b.example', role, n));
        assert.deepEqual(elsewhere, [false, false, false], `${role} readOnly=${readOnly} b.example`);
      }
    }
  });

  it('isSessionUser and isOwner tell people in a browser and full access apart', () => {
    const user = (role: 'owner' | 'member', via: 'session' | 'key'): Identity => ({
      kind: 'user',
      userId: 1,
      email: 'x@example.com',
      role,
      via,
      readOnly: false,
    });
    const cases: [string, Identity, boolean, boolean][] = [
      ['anonymous', { kind: 'anonymous' }, false, false],
      ['admin key', { kind: 'admin-key' }, false, true],
      ['share', { kind: 'share', shareId: 1, siteDomain: 'a.example', segmentId: null }, false, false],
      ['owner session', user('owner', 'session'), true, true],
      ['owner key', user('owner', 'key'), false, false],
      ['member session', user('member', 'session'), true, false],
      ['member key', user('member', 'key'), false, false],
    ];
    for (const [name, id, session, owner] of cases) {
      assert.equal(isSessionUser(id), session, `${name} isSessionUser`);
      assert.equal(isOwner(id), owner, `${name} isOwner`);
    }
  });
});

describe('user input checks', () => {
  it('emails are trimmed and lower-cased, the local part otherwise kept', () => {
    assert.equal(normalizeEmail('  Alice.B+tag@Example.COM \n'), 'alice.b+tag@example.com');
    assert.equal(normalizeEmail('a@b.co'), 'a@b.co');
  });

  it('an email is refused unless it is one address with a dotted domain, of at most 254 characters', () => {
    const bad: unknown[] = [
      undefined,
      42,
      '',
      'alice',
      'alice@example',
      '@example.com',
      'alice@.com',
      'alice@example.',
      'a b@example.com',
      'alice@exa mple.com',
      'alice@example.c m',
      'x y@example.com',
      'alice@example.com x',
      'alice@@example.com',
      'al<ice@example.com',
      'alice@exam>ple.com',
      'al(ice@example.com',
      'alice@exa)mple.com',
      'al[ice@example.com',
      'alice@exa]mple.com',
      'al\\ice@example.com',
      'al,ice@example.com',
      'al;ice@example.com',
      'al:ice@example.com',
      'al"ice@example.com',
      'alice@ex,ample.com',
      'alice@example.co;m',
    ];
    for (const input of bad) {
      const err = refused(() => normalizeEmail(input));
      assert.equal(err.code, 'FOOTFALL_ERR_INVALID_EMAIL', JSON.stringify(input));
      assert.match(err.message, /e\.g\. alice@example\.com/);
    }
    const at254 = `${'a'.repeat(254 - '@example.com'.length)}@example.com`;
    assert.equal(normalizeEmail(at254), at254);
    assert.equal(refused(() => normalizeEmail(`a${at254}`)).code, 'FOOTFALL_ERR_INVALID_EMAIL');
  });

  it('a new password has 8 to 1,000 characters (code points, not UTF-16 units) and no NUL', () => {
    for (const ok of ['12345678', 'x'.repeat(1000), '😀'.repeat(8), '😀'.repeat(1000), 'ünïcödé!']) {
      assert.equal(checkNewPassword(ok), ok);
    }
    for (const bad of [undefined, 12345678, '1234567', 'x'.repeat(1001), '😀'.repeat(7), '😀'.repeat(1001)]) {
      assert.equal(
        refused(() => checkNewPassword(bad)).code,
        'FOOTFALL_ERR_WEAK_PASSWORD',
        String(bad).slice(0, 9),
      );
    }
    assert.equal(refused(() => checkNewPassword('long enough\0')).code, 'FOOTFALL_ERR_WEAK_PASSWORD');
  });

  it('a user role is owner or member, nothing else', () => {
    assert.equal(parseUserRole('owner'), 'owner');
    assert.equal(parseUserRole('member'), 'member');
    for (const bad of ['admin', 'viewer', 'Owner', '', undefined]) {
      const err = refused(() => parseUserRole(bad));
      assert.equal(err.code, 'FOOTFALL_ERR_INVALID_FIELD');
      assert.match(err.message, /role must be "owner" or "member"/);
    }
  });

  it("a user's view carries no password hash and an ISO date", () => {
    const view = userView({
      id: 7,
      email: 'a@b.co',
      role: 'member',
      createdAt: Date.UTC(2026, 0, 2),
      passwordHash: 'scrypt$secret',
    } as Parameters<typeof userView>[0]);
    assert.deepEqual(view, { id: 7, email: 'a@b.co', role: 'member', createdAt: '2026-01-02T00:00:00.000Z' });
  });
});

describe('links and invitation markers', () => {
  it('invitation and reset links sit on the public URL, trailing slashes dropped, token encoded', () => {
    for (const base of ['https://stats.example', 'https://stats.example/', 'https://stats.example///']) {
      assert.equal(inviteUrl(base, '3.a+b/c'), 'https://stats.example/invite?token=3.a%2Bb%2Fc');
      assert.equal(resetUrl(base, 'a+b/c'), 'https://stats.example/reset?token=a%2Bb%2Fc');
    }
    // Only the slashes at the end go.
    assert.equal(resetUrl('https://x.example/sub/', 't'), 'https://x.example/sub/reset?token=t');
    assert.equal(inviteUrl('https://x.example/sub/', 't'), 'https://x.example/sub/invite?token=t');
  });

  it('a user is invited while the password column holds an invitation, not a hash', () => {
    const u = (passwordHash: string) => ({
      id: 1,
      email: 'a@b.co',
      role: 'member' as const,
      createdAt: 0,
      passwordHash,
    });
    assert.equal(isInvited(u('invite$123$abc')), true);
    assert.equal(isInvited(u('scrypt$131072$8$1$salt$key')), false);
    assert.equal(isInvited(u('x invite$')), false);
  });
});
