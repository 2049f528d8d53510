// Where the built tracker is found, and the two routes that serve it, on a bare Fastify instance
// with a tracker file of the test's own (so the test needs no build). test/tracker/routes.test.ts
// serves the real dist/script.js through a running server. Written for the mutants of
// tracker-routes.ts (issue 20).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { findTrackerScript, trackerRoutes } from '../../src/collect/tracker-routes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'footfall-tracker-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SCRIPT = '!function(){/* tracker */}();\n';
const scriptPath = path.join(dir, 'script.js');
writeFileSync(scriptPath, SCRIPT);

describe('findTrackerScript', () => {
  it('answers the first candidate that exists', () => {
    const second = path.join(dir, 'second.js');
    writeFileSync(second, '');
    assert.equal(findTrackerScript([path.join(dir, 'none.js'), scriptPath, second]), scriptPath);
    assert.equal(findTrackerScript([second, scriptPath]), second);
  });

  it('without one, refuses naming every place it looked and how to build it', () => {
    const a = path.join(dir, 'a.js');
    const b = path.join(dir, 'b.js');
    assert.throws(
      () => findTrackerScript([a, b]),
      (err: Error) => err.message === `tracker script not found (looked for ${a}, ${b}); run npm run build`,
    );
  });

  it('by default looks next to the running code, then in <repo>/dist', () => {
    const repo = path.resolve(import.meta.dirname, '../..');
    const nextTo = path.join(repo, 'src/collect/script.js');
    const dist = path.join(repo, 'dist/script.js');
    let found: string | undefined;
    try {
      found = findTrackerScript();
    } catch (err) {
      // Not built in this tree: the message names both places.
      assert.equal(
        (err as Error).message,
        `tracker script not found (looked for ${nextTo}, ${dist}); run npm run build`,
      );
      return;
    }
    assert.equal(found, dist);
  });
});

describe('GET /script.js and /js/script.js', () => {
  for (const url of ['/script.js', '/js/script.js']) {
    it(`${url} serves the tracker file, cacheable for an hour, to any origin`, async () => {
      const app = Fastify({ logger: false });
      await app.register(trackerRoutes, { scriptPath });
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, SCRIPT);
      assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(res.headers['cache-control'], 'public, max-age=3600');
      assert.equal(res.headers['access-control-allow-origin'], '*');
      await app.close();
    });
  }

  it('without a path it serves the built tracker, or refuses to start when there is none', async () => {
    const app = Fastify({ logger: false });
    app.register(trackerRoutes);
    let built: string | undefined;
    try {
      built = findTrackerScript();
    } catch (err) {
      // Not built in this tree: the start fails as the default search does, naming both places.
      await assert.rejects(
        async () => {
          await app.ready();
        },
        (thrown: Error) => thrown.message === (err as Error).message,
      );
      return;
    }
    const res = await app.inject({ method: 'GET', url: '/script.js' });
    assert.equal(res.body, readFileSync(built, 'utf8'));
    await app.close();
  });

  it('a server whose tracker file is missing refuses to start', async () => {
    const app = Fastify({ logger: false });
    app.register(trackerRoutes, { scriptPath: path.join(dir, 'missing.js') });
    await assert.rejects(async () => {
      await app.ready();
    }, /tracker script not found/);
  });
});
