// Runs every test/**/*.test.ts with Node's test runner (TypeScript through tsx), then prints
// the slowest files and tests (scripts/slowest-reporter.mjs).
// Node 20's --test takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find('test').sort();
const slowest = pathToFileURL(path.join(import.meta.dirname, 'slowest-reporter.mjs')).href;
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${slowest}`,
    '--test-reporter-destination=stdout',
    ...files,
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
