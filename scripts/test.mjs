// Runs every test/**/*.test.ts with Node's test runner, then prints the slowest files and
// tests (scripts/slowest-reporter.mjs). Node 20's --test takes no globs, so the files are
// listed here.
//
// The tests run from a transpiled copy (scripts/test-build.mjs), not through tsx: every test
// file is its own process, and loading the server's module graph through tsx's hooks cost
// up to ~1.2 s of CPU per file (measured: a server test file 6.6 → 5.3 s of CPU). The whole
// suite, same tests, one run each way on the same loaded day: 1,191 → 1,114 CPU seconds.
// A single file can still run as `node --import tsx --test test/x.test.ts`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_DIR, buildTests } from './test-build.mjs';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find('test').sort();
await buildTests();
const built = files.map((f) => path.join(BUILD_DIR, f.replace(/\.tsx?$/, '.js')));
const slowest = pathToFileURL(path.join(import.meta.dirname, 'slowest-reporter.mjs')).href;
const result = spawnSync(
  process.execPath,
  [
    // Stack traces name the TypeScript lines (the copy carries inline source maps).
    '--enable-source-maps',
    '--test',
    // Two files at a time: on a 2-core machine Node's default is one (cores − 1), and most
    // files spend their time waiting on servers, child processes and browsers. The whole
    // suite passed this way with three other jobs loading the same 2 cores. Three at a time
    // measured 751 s against 781 s (1,549 tests, quiet machine, 2026-12-01): not worth the
    // extra contention for timing-sensitive tests.
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${slowest}`,
    '--test-reporter-destination=stdout',
    ...built,
  ],
  { stdio: 'inherit' },
);
// The ClickHouse suites need ClickHouse's engine (chdb, ~540 MB, not in package.json); say
// once, at the end, that they were skipped and how to run them.
try {
  createRequire(import.meta.url).resolve('chdb/connection');
} catch {
  if (files.some((f) => f.includes('clickhouse'))) {
    console.log(
      '\nClickHouse suites (test/clickhouse/) skipped: chdb is not installed; run `npm install --no-save chdb@3.4.0`, then the tests again',
    );
  }
}
process.exit(result.status ?? 1);
