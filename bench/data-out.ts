// bench:data-out — raw event export (Parquet, CSV, NDJSON), backup and restore of the
// 10 M-event data `npm run bench:query` builds (a copy; the original is not touched): time,
// events (or MB) per second and peak RSS of each CLI process, beside a baseline from the same
// run (copying the database file with cp, the floor for any whole-file job on this disk).
// Usage: npm run bench:data-out   (BENCH_EVENTS picks another bench:query size, BENCH_DATA another
// data directory, BENCH_FORMATS=parquet a subset of the formats)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './spawn.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const SOURCE = process.env.BENCH_DATA ?? path.join(tmpdir(), `footfall-bench-query-${EVENTS}`);
if (!existsSync(SOURCE) || !readdirSync(SOURCE).some((f) => f.startsWith('ready-'))) {
  console.error(`no complete benchmark data in ${SOURCE}: run "npm run bench:query" first (it builds it)`);
  process.exit(1);
}
const work = mkdtempSync(path.join(tmpdir(), 'footfall-bench-data-out-'));
const data = path.join(work, 'data');
cpSync(SOURCE, data, { recursive: true, filter: (f) => !f.endsWith('.sock') });
const cli = path.join(ROOT, 'dist/footfall.js');
const dbFile = path.join(data, 'footfall.duckdb');

interface Run {
  seconds: number;
  /** User + system CPU seconds: on a busy machine a steadier measure than wall time. */
  cpu: number;
  rssMb: number;
  out: string;
}

/** Runs a command under /usr/bin/time for its peak RSS. */
function timed(cmd: string[]): Run {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M CPU %U %S', ...cmd], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed:\n${r.stderr}`);
  const m = /MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return {
    seconds,
    cpu: Number(m?.[2] ?? 0) + Number(m?.[3] ?? 0),
    rssMb: Number(m?.[1] ?? 0) / 1024,
    out: r.stdout + r.stderr,
  };
}

const rows: string[][] = [];
const mb = (f: string) => statSync(f).size / 1e6;
const baseline = timed(['cp', dbFile, path.join(work, 'copy.duckdb')]);
const dbMb = mb(dbFile);
const add = (job: string, run: Run, rate: string, size: string) =>
  rows.push([
    job,
    run.seconds.toFixed(1),
    run.cpu.toFixed(1),
    rate,
    size,
    run === baseline ? '—' : run.rssMb.toFixed(0),
    (baseline.seconds / run.seconds).toFixed(2),
  ]);
add(
  'baseline: cp of the database',
  baseline,
  `${(dbMb / baseline.seconds).toFixed(0)} MB/s`,
  `${dbMb.toFixed(0)} MB`,
);
for (const format of (process.env.BENCH_FORMATS ?? 'parquet,csv,ndjson').split(',')) {
  const out = path.join(work, `big.${format}`);
  const run = timed([
    process.execPath,
    cli,
    'export',
    'events',
    '--site',
    'big.example',
    '--out',
    out,
    '--data',
    data,
  ]);
  const events = Number(/exported (\d+) events/.exec(run.out)?.[1] ?? 0);
  const rate = `${Math.round(events / run.seconds).toLocaleString('en-US')} ev/s (${Math.round(events / run.cpu).toLocaleString('en-US')} per CPU s)`;
  add(`export ${format} (${(events / 1e6).toFixed(1)} M events)`, run, rate, `${mb(out).toFixed(0)} MB`);
  rmSync(out, { force: true });
}
const backupFile = path.join(work, 'backup.duckdb');
const backup = timed([process.execPath, cli, 'backup', backupFile, '--data', data]);
add(
  'backup (server stopped)',
  backup,
  `${(mb(backupFile) / backup.seconds).toFixed(0)} MB/s`,
  `${mb(backupFile).toFixed(0)} MB`,
);
const restored = path.join(work, 'restored');
const restore = timed([process.execPath, cli, 'restore', backupFile, '--data', restored]);
add('restore', restore, `${(mb(backupFile) / restore.seconds).toFixed(0)} MB/s`, '');

const head = ['job', 'seconds', 'CPU s', 'rate', 'size', 'peak RSS MB', 'baseline ÷ job'];
console.log(`| ${head.join(' | ')} |\n| ${head.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(
  `\n${EVENTS.toLocaleString('en-US')}-event data (${dbMb.toFixed(0)} MB database); load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
