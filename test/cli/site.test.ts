import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hit, killServers, removeDir, runCli, spawnServer, tempDir } from '../helpers/server.js';

describe('footfall site', () => {
  after(killServers);

  it('add, list and remove round-trip on a data directory', async () => {
    const data = tempDir();
    try {
      const add = await runCli([
        'site',
        'add',
        'WWW.Example.com',
        '--timezone',
        'Europe/Berlin',
        '--data',
        data,
      ]);
      assert.equal(add.code, 0, add.stderr);
      assert.match(add.stdout, /added example\.com \(time zone Europe\/Berlin\)/);
      assert.equal((await runCli(['site', 'add', 'blog.example.org', '--data', data])).code, 0);

      const list = await runCli(['site', 'list', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(list.stdout), [
        { domain: 'blog.example.org', timezone: 'UTC' },
        { domain: 'example.com', timezone: 'Europe/Berlin' },
      ]);
      const table = await runCli(['site', 'list', '--data', data]);
      assert.match(table.stdout, /^DOMAIN\s+TIMEZONE\n/);

      const dup = await runCli(['site', 'add', 'example.com', '--data', data]);
      assert.equal(dup.code, 2);
      assert.match(dup.stderr, /already exists/);

      const remove = await runCli(['site', 'remove', 'example.com', '--yes', '--data', data]);
      assert.equal(remove.code, 0, remove.stderr);
      const after = await runCli(['site', 'list', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(after.stdout), [{ domain: 'blog.example.org', timezone: 'UTC' }]);
    } finally {
      removeDir(data);
    }
  });

  it('FOOTFALL_DATA names the data directory when --data is not given', async () => {
    const data = tempDir();
    try {
      assert.equal(
        (await runCli(['site', 'add', 'env.example.com'], { env: { FOOTFALL_DATA: data } })).code,
        0,
      );
      const list = await runCli(['site', 'list', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(list.stdout), [{ domain: 'env.example.com', timezone: 'UTC' }]);
    } finally {
      removeDir(data);
    }
  });

  it('a bad domain or time zone is rejected with a message that says what to type', async () => {
    const data = tempDir();
    try {
      for (const bad of [
        'https://example.com/',
        'not a domain',
        'localhost',
        'exa_mple.com',
        'bad-.example.com',
        '',
      ]) {
        const res = await runCli(['site', 'add', bad, '--data', data]);
        assert.equal(res.code, 2, `${bad}: ${res.stderr}`);
        assert.match(res.stderr, /e\.g\. example\.com/, bad);
      }
      const tz = await runCli(['site', 'add', 'example.com', '--timezone', 'Mars/Olympus', '--data', data]);
      assert.equal(tz.code, 2);
      assert.match(tz.stderr, /Europe\/Berlin/);
      const list = await runCli(['site', 'list', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(list.stdout), []);
    } finally {
      removeDir(data);
    }
  });

  it('remove asks for confirmation: without a terminal it refuses unless --yes is given', async () => {
    const data = tempDir();
    try {
      await runCli(['site', 'add', 'example.com', '--data', data]);
      const res = await runCli(['site', 'remove', 'example.com', '--data', data]);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /--yes/);
      const missing = await runCli(['site', 'remove', 'nope.example.com', '--yes', '--data', data]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no site/);
    } finally {
      removeDir(data);
    }
  });

  it('while a server runs, site commands go through it and take effect at once', async () => {
    const data = tempDir();
    try {
      const server = await spawnServer(data);
      // The control socket is the owner's alone.
      assert.equal(statSync(path.join(data, 'footfall.sock')).mode & 0o777, 0o600);
      const add = await runCli(['site', 'add', 'live.example.com', '--data', data]);
      assert.equal(add.code, 0, add.stderr);
      const beacon = await hit(
        `${server.url}/a.gif?url=${encodeURIComponent('https://live.example.com/now')}`,
      );
      assert.equal(beacon.status, 200);
      const list = await runCli(['site', 'list', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(list.stdout), [{ domain: 'live.example.com', timezone: 'UTC' }]);
      const bad = await runCli(['site', 'add', 'bad domain', '--data', data]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /e\.g\. example\.com/);
      const remove = await runCli(['site', 'remove', 'live.example.com', '--yes', '--data', data]);
      assert.equal(remove.code, 0, remove.stderr);
      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    } finally {
      removeDir(data);
    }
  });

  it('--help works for every command', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['site', '--help'],
      ['site', 'add', '--help'],
      ['site', 'list', '--help'],
      ['site', 'remove', '--help'],
    ]) {
      const res = await runCli(args);
      assert.equal(res.code, 0, args.join(' '));
      assert.match(res.stdout, /Usage: footfall/);
    }
  });
});
