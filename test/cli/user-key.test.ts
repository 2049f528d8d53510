import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { call } from '../helpers/accounts.js';
import { killServers, removeDir, runCli, spawnServer, tempDir } from '../helpers/server.js';

const SECRET = 'a password typed once';

describe('footfall user and footfall key', () => {
  after(killServers);

  it('on a data directory: add, list and remove users; create, list and revoke keys', async () => {
    const data = tempDir();
    try {
      assert.equal((await runCli(['site', 'add', 'example.com', '--data', data])).code, 0);
      const add = await runCli(
        [
          'user',
          'add',
          '--email',
          'Owner@Example.com',
          '--role',
          'owner',
          '--password-stdin',
          '--data',
          data,
        ],
        { input: `${SECRET}\n` },
      );
      assert.equal(add.code, 0, add.stderr);
      assert.equal(add.stdout, 'added owner@example.com (owner)\n');
      const dup = await runCli(
        ['user', 'add', '--email', 'owner@example.com', '--password-stdin', '--data', data],
        {
          input: SECRET,
        },
      );
      assert.equal(dup.code, 2);
      assert.match(dup.stderr, /already exists/);
      const weak = await runCli(
        ['user', 'add', '--email', 'b@example.com', '--password-stdin', '--data', data],
        {
          input: 'short',
        },
      );
      assert.equal(weak.code, 2);
      assert.match(weak.stderr, /8 to 1,000 characters/);

      const list = await runCli(['user', 'list', '--json', '--data', data]);
      const users = JSON.parse(list.stdout) as { email: string; role: string }[];
      assert.deepEqual(
        users.map((u) => [u.email, u.role]),
        [['owner@example.com', 'owner']],
      );

      const create = await runCli([
        'key',
        'create',
        '--user',
        'owner@example.com',
        '--site',
        'example.com',
        '--read-only',
        '--name',
        'grafana',
        '--data',
        data,
      ]);
      assert.equal(create.code, 0, create.stderr);
      assert.match(create.stdout, /^ff_[\w-]{43}\n$/);
      assert.match(create.stderr, /read-only.*not shown again/);
      const keys = JSON.parse((await runCli(['key', 'list', '--json', '--data', data])).stdout) as {
        id: number;
        name: string;
        sites: string[];
        readOnly: boolean;
        user: string;
      }[];
      assert.deepEqual(
        keys.map((k) => [k.id, k.name, k.sites, k.readOnly, k.user]),
        [[1, 'grafana', ['example.com'], true, 'owner@example.com']],
      );
      assert.ok(!JSON.stringify(keys).includes(create.stdout.trim()));
      assert.equal((await runCli(['key', 'revoke', '1', '--data', data])).code, 0);
      const gone = await runCli(['key', 'revoke', '1', '--data', data]);
      assert.equal(gone.code, 2);
      assert.match(gone.stderr, /no such API key/);
      const noSite = await runCli([
        'key',
        'create',
        '--user',
        'owner@example.com',
        '--site',
        'nope.example',
        '--data',
        data,
      ]);
      assert.equal(noSite.code, 2);
      assert.match(noSite.stderr, /no site with this domain: nope\.example/);

      const ask = await runCli(['user', 'remove', 'owner@example.com', '--data', data]);
      assert.equal(ask.code, 2);
      assert.match(ask.stderr, /--yes/);
      const last = await runCli(['user', 'remove', 'owner@example.com', '--yes', '--data', data]);
      assert.equal(last.code, 2);
      assert.match(last.stderr, /last owner/);
      for (const out of [add, dup, list, create]) assert.ok(!(out.stdout + out.stderr).includes(SECRET));
    } finally {
      removeDir(data);
    }
  });

  it('a password is never taken from a flag, and without a terminal only with --password-stdin', async () => {
    const data = tempDir();
    try {
      const res = await runCli(['user', 'add', '--email', 'a@example.com', '--data', data]);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /--password-stdin/);
      const flag = await runCli([
        'user',
        'add',
        '--email',
        'a@example.com',
        '--password',
        'x',
        '--data',
        data,
      ]);
      assert.notEqual(flag.code, 0);
    } finally {
      removeDir(data);
    }
  });

  it('while a server runs, the commands go through it and take effect at once', async () => {
    const data = tempDir();
    try {
      assert.equal((await runCli(['site', 'add', 'example.com', '--data', data])).code, 0);
      const server = await spawnServer(data);
      const add = await runCli(
        [
          'user',
          'add',
          '--email',
          'owner@example.com',
          '--role',
          'owner',
          '--password-stdin',
          '--data',
          data,
        ],
        { input: SECRET },
      );
      assert.equal(add.code, 0, add.stderr);
      const login = await call(server, 'POST', '/api/auth/login', {
        body: { email: 'owner@example.com', password: SECRET },
      });
      assert.equal(login.status, 200, login.text);

      const create = await runCli([
        'key',
        'create',
        '--user',
        'owner@example.com',
        '--site',
        'example.com',
        '--data',
        data,
      ]);
      assert.equal(create.code, 0, create.stderr);
      const bearer = create.stdout.trim();
      const sites = await call(server, 'GET', '/api/sites', { as: { bearer } });
      assert.equal(sites.status, 200);
      const list = JSON.parse(
        (await runCli(['key', 'list', '--user', 'owner@example.com', '--json', '--data', data])).stdout,
      );
      assert.match(list[0].lastUsedAt, /^\d{4}-/, 'the server recorded its use');
      assert.equal((await runCli(['key', 'revoke', String(list[0].id), '--data', data])).code, 0);
      assert.equal((await call(server, 'GET', '/api/sites', { as: { bearer } })).status, 401);

      const second = await runCli(
        ['user', 'add', '--email', 'm@example.com', '--password-stdin', '--data', data],
        {
          input: SECRET,
        },
      );
      assert.equal(second.code, 0, second.stderr);
      assert.match((await runCli(['user', 'list', '--data', data])).stdout, /m@example\.com\s+member/);
      assert.equal((await runCli(['user', 'remove', 'm@example.com', '--yes', '--data', data])).code, 0);
      const bad = await runCli(
        ['user', 'add', '--email', 'not-an-email', '--password-stdin', '--data', data],
        {
          input: SECRET,
        },
      );
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /not a valid email address/);
      assert.ok(!server.output().includes(SECRET), 'the server never logs a password');
      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    } finally {
      removeDir(data);
    }
  });

  it('user invite prints a one-time link; user password sets a password and ends every session (issue 12, B8)', async () => {
    const data = tempDir();
    try {
      // On the data directory: the link alone on stdout, for LINK=$(footfall user invite …).
      const invited = await runCli(['user', 'invite', 'Pat@Example.com', '--data', data], {
        env: { FOOTFALL_PUBLIC_URL: 'https://stats.example.net' },
      });
      assert.equal(invited.code, 0, invited.stderr);
      assert.match(invited.stdout, /^https:\/\/stats\.example\.net\/invite\?token=\d+\.[\w-]{43}\n$/);
      assert.match(
        invited.stderr,
        /invited pat@example\.com \(member\).*works once, until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
      );
      const token = new URL(invited.stdout.trim()).searchParams.get('token');

      const server = await spawnServer(data);
      const joined = await call(server, 'POST', '/api/auth/invite', { body: { token, password: SECRET } });
      assert.equal(joined.status, 200, joined.text);
      const cookie = joined.headers.getSetCookie()[0]!.split(';')[0]!;
      assert.equal((await call(server, 'GET', '/api/auth/me', { as: { cookie } })).status, 200);

      // Through the running server: the new password works at once, the old session is gone.
      const changed = await runCli(
        ['user', 'password', 'pat@example.com', '--password-stdin', '--data', data],
        {
          input: 'the operator set this\n',
        },
      );
      assert.equal(changed.code, 0, changed.stderr);
      assert.match(changed.stdout, /changed the password of pat@example\.com; their sessions have ended/);
      assert.equal((await call(server, 'GET', '/api/auth/me', { as: { cookie } })).status, 401);
      const login = (password: string) =>
        call(server, 'POST', '/api/auth/login', { body: { email: 'pat@example.com', password } });
      assert.equal((await login('the operator set this')).status, 200);
      assert.equal((await login(SECRET)).status, 401);
      const unknown = await runCli(
        ['user', 'password', 'nobody@example.com', '--password-stdin', '--data', data],
        {
          input: 'whatever password',
        },
      );
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /no such user/);
      // Without a terminal, only --password-stdin.
      const noTty = await runCli(['user', 'password', 'pat@example.com', '--data', data]);
      assert.equal(noTty.code, 2);
      assert.match(noTty.stderr, /--password-stdin/);
      assert.ok(!server.output().includes('the operator set this'), 'the server never logs a password');
      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    } finally {
      removeDir(data);
    }
  });

  it('--help works for every command', async () => {
    for (const args of [
      ['user', '--help'],
      ['user', 'add', '--help'],
      ['user', 'list', '--help'],
      ['user', 'remove', '--help'],
      ['key', '--help'],
      ['key', 'create', '--help'],
      ['key', 'list', '--help'],
      ['key', 'revoke', '--help'],
    ]) {
      const res = await runCli(args);
      assert.equal(res.code, 0, args.join(' '));
      assert.match(res.stdout, /Usage: footfall/);
      if (args.length === 3) assert.match(res.stdout, /--data/, args.join(' '));
    }
  });
});
