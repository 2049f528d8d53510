import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, resolveServeConfig, SETTINGS } from '../../src/server/config.js';
import {
  killServers,
  ROOT,
  removeDir,
  runCli,
  seedSites,
  spawnServer,
  startTestServer,
  tempDir,
} from '../helpers/server.js';

describe('footfall serve configuration', () => {
  after(killServers);

  it('defaults: port 8000, ./data, public URL http://localhost:<port>', () => {
    const c = resolveServeConfig({}, {});
    assert.equal(c.port, 8000);
    assert.equal(c.dataDir, './data');
    assert.equal(c.publicUrl, 'http://localhost:8000');
  });

  it('every environment variable has a flag, and the flag wins', () => {
    const env = {
      PORT: '9000',
      FOOTFALL_DATA: '/env',
      FOOTFALL_PUBLIC_URL: 'https://env.example.com/',
      FOOTFALL_QUEUE_SIZE: '10',
    };
    const fromEnv = resolveServeConfig({}, env);
    assert.deepEqual(
      [fromEnv.port, fromEnv.dataDir, fromEnv.publicUrl, fromEnv.queueSize],
      [9000, '/env', 'https://env.example.com', 10],
    );
    assert.equal(fromEnv.publicUrl, 'https://env.example.com');
    const fromFlags = resolveServeConfig(
      { port: '9100', dataDir: '/flag', publicUrl: 'https://flag.example.com', queueSize: '20' },
      env,
    );
    assert.deepEqual(
      [fromFlags.port, fromFlags.dataDir, fromFlags.publicUrl, fromFlags.queueSize],
      [9100, '/flag', 'https://flag.example.com', 20],
    );
    assert.equal(resolveServeConfig({}, { PORT: '9000' }).publicUrl, 'http://localhost:9000');
  });

  it("README's configuration table lists exactly the settings, with their flags and variables", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `(--[a-z-]+)` \| `([A-Z_]+)` \|/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    assert.deepEqual(documented.sort(), SETTINGS.map((s) => `${s.flag} ${s.env}`).sort());
  });

  it('a bad setting names the variable and the fix', () => {
    assert.throws(
      () => resolveServeConfig({}, { PORT: 'eighty' }),
      (e: Error) => e instanceof ConfigError && /PORT="eighty".*e\.g\. 8000/.test(e.message),
    );
    assert.throws(
      () => resolveServeConfig({ publicUrl: 'stats.example.com' }, {}),
      /--public-url="stats\.example\.com" is not a URL/,
    );
    assert.throws(
      () => resolveServeConfig({}, { FOOTFALL_PUBLIC_URL: 'ftp://x.example' }),
      /FOOTFALL_PUBLIC_URL.*http\(s\)/,
    );
    assert.throws(() => resolveServeConfig({ queueSize: '0' }, {}), /--queue-size/);
    assert.throws(() => resolveServeConfig({ memoryLimit: 'lots' }, {}), /--memory-limit/);
  });

  it('the CLI prints a bad setting as one clear line and exits 2', async () => {
    const res = await runCli(['serve', '--port', '99999']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^footfall: --port="99999" is not a port number/);
  });

  it('a second server on the same data directory is refused with the fix', async () => {
    const data = tempDir();
    try {
      const first = await spawnServer(data);
      const second = await runCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data]);
      assert.equal(second.code, 2);
      assert.match(second.stderr, /in use by another process.*--data/);
      first.proc.kill('SIGTERM');
      assert.equal((await first.exited).code, 0);
    } finally {
      removeDir(data);
    }
  });

  it('a port already in use is refused with the fix', async () => {
    const first = tempDir();
    const second = tempDir();
    try {
      const server = await spawnServer(first);
      const port = new URL(server.url).port;
      const res = await runCli(['serve', '--port', port, '--host', '127.0.0.1', '--data', second]);
      assert.equal(res.code, 2);
      // One line, and no setup link for a server that never started (issue 12, B9).
      assert.match(res.stderr, new RegExp(`^footfall: port ${port} is already in use.*--port\\n$`));
      assert.equal(res.stdout, '');
      server.proc.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    } finally {
      removeDir(first);
      removeDir(second);
    }
  });

  it('--memory-limit reaches DuckDB', async () => {
    const server = await startTestServer({ flags: { memoryLimit: '256MB' } });
    try {
      const rows = await server.store.queryRows("SELECT current_setting('memory_limit') AS m");
      assert.match(String(rows[0]!.m), /^(256\.0 MB|244\.1 MiB)$/);
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  });

  // Everything serve prints before it is used: the start lines (stdout) and the setup link
  // (stderr) once they are all out — the snippet is the last line.
  const startOutput = async (server: { output: () => string }) => {
    for (let i = 0; i < 200 && !server.output().includes('</script>'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    return server.output().trim().split('\n');
  };

  it('prints the URL and the snippet to paste at start (asking for a site only while none exists; with no users yet, the setup link)', async () => {
    const data = tempDir();
    try {
      // Started directly, not by npm (whose npm_lifecycle_event `npm test` would pass on).
      const notNpm = { npm_lifecycle_event: '' };
      const first = await spawnServer(data, ['--public-url', 'https://stats.example.com'], notNpm);
      const firstLines = await startOutput(first);
      assert.match(firstLines.join('\n'), /add your site: footfall site add example\.com/);
      const link = firstLines.findIndex((l) => l.includes('/setup?'));
      assert.match(firstLines[link - 1]!, /^no users yet: open this link to create the owner account/);
      assert.match(firstLines[link]!, /^https:\/\/stats\.example\.com\/setup\?token=[\w-]{43}$/);
      first.proc.kill('SIGTERM');
      await first.exited;
      const add = await runCli(
        ['user', 'add', '--email', 'o@example.com', '--role', 'owner', '--password-stdin', '--data', data],
        {
          input: 'a long enough password\n',
        },
      );
      assert.equal(add.code, 0, add.stderr);
      await seedSites(data, ['blog.example.org']);

      const server = await spawnServer(data, ['--public-url', 'https://stats.example.com'], notNpm);
      const lines = await startOutput(server);
      assert.equal(lines.length, 3, server.output());
      assert.match(lines[0]!, /listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.equal(
        lines[2],
        '<script defer data-domain="blog.example.org" src="https://stats.example.com/script.js"></script>',
      );
      // With a site in place there is nothing to add first (issue 11).
      assert.doesNotMatch(server.output(), /add your site/);
      server.proc.kill('SIGTERM');
      await server.exited;
    } finally {
      removeDir(data);
    }
  });

  it('the start lines fit 100 columns, say localhost for a server on every address, and name the command as it can be typed here (issue 12, B1)', async () => {
    const data = tempDir();
    try {
      // As `npm start` runs it: footfall is not on PATH there, `npx footfall` is.
      const server = await spawnServer(data, ['--host', '0.0.0.0'], { npm_lifecycle_event: 'start' });
      const lines = await startOutput(server);
      const port = new URL(server.url).port;
      // The node id made on first start and kept in the data directory (issue 17).
      const nodeId = readFileSync(path.join(data, 'node-id'), 'utf8').trim();
      assert.ok(
        lines.includes(`Footfall is listening on http://localhost:${port} (data in ${data}, node ${nodeId})`),
        server.output(),
      );
      assert.ok(lines.includes('add your site: npx footfall site add example.com'), server.output());
      assert.ok(
        lines.includes('or run: npx footfall user add --email you@example.com --role owner'),
        server.output(),
      );
      // (The public URL names the port asked for, 0 here.)
      assert.ok(
        lines.some((l) => /^http:\/\/localhost:\d+\/setup\?token=[\w-]{43}$/.test(l)),
        server.output(),
      );
      for (const line of lines) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
      // The first lines a newcomer reads stay few.
      assert.ok(lines.length <= 7, server.output());
      server.proc.kill('SIGTERM');
      await server.exited;
    } finally {
      removeDir(data);
    }
  });

  it('Ctrl-C prints one line, however often it is pressed, and exits 0 (issue 12, B9)', async () => {
    const data = tempDir();
    try {
      const server = await spawnServer(data);
      const before = (await startOutput(server)).length;
      server.proc.kill('SIGINT');
      // Pressed again while the first is being handled.
      while (!server.output().includes('SIGINT')) await new Promise((r) => setTimeout(r, 5));
      server.proc.kill('SIGINT');
      assert.equal((await server.exited).code, 0);
      const after = server.output().trim().split('\n').slice(before);
      assert.deepEqual(after, ['SIGINT: finishing accepted events, then exiting']);
    } finally {
      removeDir(data);
    }
  });
});
