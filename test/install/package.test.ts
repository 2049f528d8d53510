// Issue 19, "one artefact": `npm pack` makes a tarball holding the built server, tracker and
// dashboard; installing it with --omit=dev into an empty prefix (no node_modules from the repo,
// no compiler, bundler or browser) gives a `footfall` command that serves, tracks and answers,
// and imports a log file (whose reading thread runs the installed bundle again).
//
// The install reads packages from ~/.npm's cache first (--prefer-offline) and asks the registry
// only for what the cache lacks, so the test runs offline on a machine that has run it once.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { hit, killServers, ROOT, removeDir, spawnServer, tempDir } from '../helpers/server.js';

const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('the packed tarball, installed with --omit=dev', { timeout: 240_000 }, () => {
  let work: string;
  let tarball: string;
  let bin: string;
  let installed: string;
  before(async () => {
    work = tempDir('footfall-install-');
    // Plain `npm pack`: its prepack script builds dist/ first. It packs a copy of the
    // repository's sources, so that build does not replace the dist/ other test files are
    // serving from meanwhile (it empties dist/web first: a server starting then found no
    // dashboard — seen when three test files ran at once).
    const repo = path.join(work, 'repo');
    for (const f of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.dom.json', 'scripts', 'src'])
      cpSync(path.join(ROOT, f), path.join(repo, f), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: repo,
      maxBuffer: 1 << 24,
    });
    tarball = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    const prefix = path.join(work, 'prefix');
    // cwd is the empty temp folder, so nothing resolves through the repository's node_modules.
    await run(
      'npm',
      [
        'install',
        '-g',
        tarball,
        '--prefix',
        prefix,
        '--omit=dev',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: work, maxBuffer: 1 << 24 },
    );
    bin = path.join(prefix, 'bin', 'footfall');
    installed = path.join(prefix, 'lib', 'node_modules', 'footfall');
  });
  after(() => {
    killServers();
    removeDir(work);
  });

  it('holds the built server, tracker and dashboard, and no sources or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    for (const f of [
      'dist/footfall.js',
      'dist/script.js',
      'dist/web/index.html',
      'package.json',
      'README.md',
    ]) {
      assert.ok(files.includes(`package/${f}`), `${f} is in the tarball`);
    }
    assert.ok(
      files.some((f) => /^package\/dist\/web\/assets\/app-.*\.js$/.test(f)),
      'the dashboard bundle is in the tarball',
    );
    assert.deepEqual(
      files.filter((f) => /^package\/(src|test|bench|scripts)\//.test(f)),
      [],
      'no sources, tests, benchmarks or build scripts',
    );
  });

  it('installs no compiler, bundler, browser driver or test tool', () => {
    for (const dev of ['typescript', 'esbuild', 'tsx', 'playwright-core', '@biomejs/biome', 'preact']) {
      assert.ok(!existsSync(path.join(installed, 'node_modules', dev)), `${dev} is not installed`);
    }
  });

  it('footfall --version prints the version', async () => {
    const { stdout } = await run(bin, ['--version']);
    assert.equal(stdout.trim(), VERSION);
  });

  it('footfall serve starts, tracks a page view and answers a query', async () => {
    const data = path.join(work, 'data');
    await run(bin, ['site', 'add', 'example.com', '--data', data], { cwd: work });
    const server = await spawnServer(data, [], {}, [bin]);
    const script = await hit(`${server.url}/script.js`);
    assert.equal(script.status, 200, 'the built tracker is served');
    const dashboard = await hit(`${server.url}/`);
    assert.match(await dashboard.text(), /<script[^>]+assets\/app-/, 'the built dashboard is served');
    const res = await hit(`${server.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'pageview', url: 'https://example.com/hello', domain: 'example.com' }),
    });
    assert.equal(res.status, 202);
    // Through the running server's control socket, as an operator would ask.
    const { stdout } = await run(
      bin,
      [
        'query',
        '--site',
        'example.com',
        '--metrics',
        'pageviews',
        '--range',
        'day',
        '--json',
        '--data',
        data,
      ],
      { cwd: work },
    );
    assert.deepEqual((JSON.parse(stdout) as { results: unknown }).results, [
      { dimensions: [], metrics: [1] },
    ]);
    server.proc.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });

  it('footfall import logs reads a log file in its own thread, from the installed bundle', async () => {
    const data = path.join(work, 'logs-data');
    await run(bin, ['site', 'add', 'example.com', '--data', data], { cwd: work });
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
    const lines = ['/', '/docs/', '/app.css', '/pricing'].map(
      (p, i) => `203.0.113.9 - - [01/Jun/2026:10:0${i}:00 +0000] "GET ${p} HTTP/1.1" 200 512 "-" "${chrome}"`,
    );
    const log = path.join(work, 'access.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const { stdout } = await run(bin, ['import', 'logs', log, '--site', 'example.com', '--data', data], {
      cwd: work,
    });
    assert.match(stdout, /imported 3 page views into example\.com from 4 rows/);
    assert.match(stdout, /skipped: 1 not a page/);
  });
});

describe('a production clone (no esbuild)', () => {
  // `npm install --omit=dev` after `npm run build` removes esbuild, yet `npm start` runs the build first.
  const clone = (withDist: boolean) => {
    const dir = tempDir('footfall-clone-');
    cpSync(path.join(ROOT, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
    if (withDist) cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
    return dir;
  };

  it('keeps the dist/ already built', () => {
    const dir = clone(true);
    try {
      const res = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      assert.match(
        res.stderr,
        /esbuild is not installed \(a production install\): using the dist\/ already built/,
      );
      assert.ok(existsSync(path.join(dir, 'dist', 'footfall.js')));
    } finally {
      removeDir(dir);
    }
  });

  it('says how to build when there is no dist/ either', () => {
    const dir = clone(false);
    try {
      const res = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(res.status, 1);
      assert.match(res.stderr, /dist\/ is missing: run `npm install`/);
    } finally {
      removeDir(dir);
    }
  });
});
