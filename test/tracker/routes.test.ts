// GET /script.js and /js/script.js serve the built tracker to every origin.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import { findTrackerScript, trackerRoutes } from '../../src/collect/tracker-routes.js';
import { ROOT, removeDir, seedSites, startTestServer, type TestServer, tempDir } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ sites: ['test.example'] });
});
after(async () => {
  await server.close();
});

for (const url of ['/script.js', '/js/script.js']) {
  test(`GET ${url} serves dist/script.js, cacheable, to any origin`, async () => {
    const res = await fetch(`${server.url}${url}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=3600');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(await res.text(), readFileSync(path.join(ROOT, 'dist/script.js'), 'utf8'));
  });
}

test('the bundled server (dist/footfall.js) serves dist/script.js next to it', async () => {
  const dataDir = tempDir();
  await seedSites(dataDir, ['test.example']);
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'dist/footfall.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      proc.on('exit', () => reject(new Error(`server exited:\n${out}`)));
    });
    const res = await fetch(`${url}/script.js`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), readFileSync(path.join(ROOT, 'dist/script.js'), 'utf8'));
  } finally {
    proc.kill('SIGKILL');
    removeDir(dataDir);
  }
});

test('running from source finds <repo>/dist/script.js', () => {
  // The same file, whether found through the repository or the suite's transpiled copy of it.
  assert.equal(realpathSync(findTrackerScript()), realpathSync(path.join(ROOT, 'dist/script.js')));
});

test('a missing tracker stops startup with "run npm run build"', async () => {
  const app = Fastify();
  app.register(trackerRoutes, { scriptPath: path.join(ROOT, 'no-such-dir/script.js') });
  await assert.rejects(
    async () => app.ready(),
    /tracker script not found .*no-such-dir.*; run npm run build/,
  );
  await app.close();
});
