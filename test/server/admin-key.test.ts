// FOOTFALL_ADMIN_KEY: the operator's full-access key, refused at start when too short.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { call, errorCode } from '../helpers/accounts.js';
import { removeDir, runCli, startTestServer, tempDir } from '../helpers/server.js';

const KEY = 'an-operator-key-of-forty-characters-xyz0';

describe('FOOTFALL_ADMIN_KEY', () => {
  it('a key shorter than 32 characters stops the configuration with the fix, without echoing the key', () => {
    for (const [flags, env, source] of [
      [{ adminKey: 'tooshort-secret' }, {}, '--admin-key'],
      [{}, { FOOTFALL_ADMIN_KEY: 'tooshort-secret' }, 'FOOTFALL_ADMIN_KEY'],
    ] as const) {
      assert.throws(
        () => resolveServeConfig(flags, env),
        (e: Error) =>
          e instanceof ConfigError &&
          e.message.startsWith(`${source} is 15 characters long; an admin key needs at least 32`) &&
          e.message.includes('openssl rand -base64 32') &&
          !e.message.includes('tooshort-secret'),
      );
    }
    assert.equal(resolveServeConfig({}, { FOOTFALL_ADMIN_KEY: KEY }).adminKey, KEY);
    assert.equal(resolveServeConfig({}, {}).adminKey, undefined);
  });

  it('`footfall serve` refuses to start with a short key: one line, exit 2', async () => {
    const data = tempDir();
    try {
      const res = await runCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data], {
        env: { FOOTFALL_ADMIN_KEY: 'tooshort-secret' },
      });
      assert.equal(res.code, 2);
      assert.match(
        res.stderr,
        /^footfall: FOOTFALL_ADMIN_KEY is 15 characters long; an admin key needs at least 32/,
      );
      assert.ok(!res.stderr.includes('tooshort-secret'));
    } finally {
      removeDir(data);
    }
  });

  it('the key opens everything an owner may; a different key of the same length opens nothing', async () => {
    const server = await startTestServer({ sites: ['a.example'], flags: { adminKey: KEY } });
    try {
      const users = await call(server, 'GET', '/api/users', { as: { bearer: KEY } });
      assert.equal(users.status, 200);
      const add = await call(server, 'POST', '/api/sites', {
        as: { bearer: KEY },
        body: { domain: 'b.example', timezone: 'Europe/Berlin' },
      });
      assert.equal(add.status, 201, add.text);
      const sites = await call(server, 'GET', '/api/sites', { as: { bearer: KEY } });
      assert.deepEqual(
        (sites.body as { sites: { domain: string; role: string }[] }).sites.map((s) => [s.domain, s.role]),
        [
          ['a.example', 'owner'],
          ['b.example', 'owner'],
        ],
      );
      const wrong = await call(server, 'GET', '/api/users', { as: { bearer: KEY.replace(/.$/, '1') } });
      assert.equal(errorCode(wrong), 'FOOTFALL_ERR_UNAUTHORIZED');
      // It is nobody's account: no sessions, no keys of its own.
      assert.equal((await call(server, 'GET', '/api/keys', { as: { bearer: KEY } })).status, 403);
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  });
});
