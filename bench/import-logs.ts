// bench:import-logs — `footfall import logs` on a generated nginx combined log: lines per
// second and peak RSS of the import process, beside a baseline from the same run (reading
// and splitting the same file into lines in a bare Node process), as the ratio of the two.
// Usage: [BENCH_LOG=site|one-off] [BENCH_RUNS=3] npm run bench:import-logs [-- <lines, default 1000000>]
// Each run imports the file into a fresh data directory; the table has a row per run and the
// median.
// (access-log.ts: `site` is a site's log, the default; `one-off` the worst case, no visitor twice).
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type LogShape, writeAccessLog } from './access-log.js';
import { ROOT } from './spawn.js';

const LINES = Number(process.argv[2] ?? 1_000_000);
const SHAPE: LogShape = process.env.BENCH_LOG === 'one-off' ? 'one-off' : 'site';
/** Imports of the same file, each into a fresh data directory (the machine is shared: medians). */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
async function baseline(file: string): Promise<number> {
  const t = performance.now();
  let n = 0;
  for await (const _ of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  }))
    n++;
  return n / ((performance.now() - t) / 1000);
}

/** Runs the CLI: wall time, and its peak RSS (VmHWM only grows, so the last reading is the peak). */
function run(args: string[]): Promise<{ ms: number; rssMb: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {}
    }, 50);
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(out));
      else resolve({ ms: performance.now() - t, rssMb: peak, out });
    });
  });
}

/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat (cutime,
 * cstime in clock ticks of 1/100 s): before and after a run, the run's CPU — on a shared machine
 * a steadier figure than its wall time.
 */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const dir = mkdtempSync(path.join(tmpdir(), 'footfall-bench-logs-'));
try {
  const log = path.join(dir, 'access.log');
  writeAccessLog(log, LINES, SHAPE);
  const cli = path.join(ROOT, 'dist/footfall.js');
  // The machine is shared: the load average before and after says how much of it the run had.
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `| run | lines | file MB | import s | CPU s | lines/s | peak RSS MB | baseline lines/s (readline) | ratio |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  const rates: number[] = [];
  const ratios: number[] = [];
  let out = '';
  for (let i = 1; i <= RUNS; i++) {
    // Each run: a fresh data directory, and the baseline read again beside it.
    const data = path.join(dir, `data-${i}`);
    await run([cli, 'site', 'add', 'example.com', '--data', data]);
    const base = await baseline(log);
    const loadBefore = load();
    const cpuBefore = childCpuSeconds();
    const r = await run([cli, 'import', 'logs', log, '--site', 'example.com', '--data', data]);
    const cpu = childCpuSeconds() - cpuBefore;
    const rate = LINES / (r.ms / 1000);
    rates.push(rate);
    ratios.push(rate / base);
    out = r.out.trim();
    console.log(
      `| ${i} | ${LINES.toLocaleString('en')} | ${(statSync(log).size / 1e6).toFixed(0)} | ${(r.ms / 1000).toFixed(1)} | ${cpu.toFixed(1)} | ${Math.round(rate).toLocaleString('en')} | ${r.rssMb.toFixed(0)} | ${Math.round(base).toLocaleString('en')} | ${(rate / base).toFixed(3)} |`,
    );
    console.log(`<!-- load average before ${loadBefore}, after ${load()} -->`);
    rmSync(data, { recursive: true, force: true });
  }
  console.log(
    `log shape ${SHAPE}; median of ${RUNS}: ${Math.round(median(rates)).toLocaleString('en')} lines/s, ratio ${median(ratios).toFixed(3)}`,
  );
  console.log(
    out
      .split('\n')
      .filter((l) => !/rows \(\d+ %\)$/.test(l))
      .join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
