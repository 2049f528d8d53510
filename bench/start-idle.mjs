// node bench/start-idle.mjs <bundle> <data dir> [runs] [idle s]: `footfall serve` on a copy of a
// data directory (the 10 M-event one bench:query builds): wall time and CPU from spawn until
// GET /healthz answers 200, then, after some idle seconds, where its memory is — VmRSS split
// into RssAnon (heaps: V8, DuckDB's buffers, native allocations), RssFile (mapped files: the
// node binary, DuckDB's library, the geo database) and RssShmem — and the V8 heap as /metrics
// reports it. Medians of the runs; the copy is made once, so runs after the first find the
// file in the page cache as a restarted server does. See BENCHMARKS.md "Start-up".
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [bundle, source, n = '5', idle = '5'] = process.argv.slice(2);
if (!bundle || !source) {
  console.error('usage: node bench/start-idle.mjs <dist/footfall.js> <data dir> [runs] [idle seconds]');
  process.exit(2);
}
const data = mkdtempSync(path.join(tmpdir(), 'ff-idle-'));
cpSync(path.join(source, 'footfall.duckdb'), path.join(data, 'footfall.duckdb'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const status = (pid) => {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
  return {
    rss: kb('VmRSS'),
    anon: kb('RssAnon'),
    file: kb('RssFile'),
    shmem: kb('RssShmem'),
    peak: kb('VmHWM'),
  };
};
const cpuMs = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(stat[11]) + Number(stat[12])) * 10;
};
const rows = [];
try {
  for (let i = 0; i < Number(n); i++) {
    const t0 = performance.now();
    const p = spawn(
      process.execPath,
      [bundle, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const look = (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (m) resolve(m[0]);
      };
      p.stdout.on('data', look);
      p.stderr.on('data', look);
      p.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
    });
    while (
      (await fetch(`${url}/healthz`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    )
      await sleep(10);
    const healthy = performance.now() - t0;
    const cpu = cpuMs(p.pid);
    await sleep(Number(idle) * 1000);
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    const gauge = (name) =>
      Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 2 ** 20;
    rows.push({
      healthy,
      cpu,
      ...status(p.pid),
      heapUsed: gauge('footfall_nodejs_heap_size_used_bytes'),
      heapTotal: gauge('footfall_nodejs_heap_size_total_bytes'),
    });
    p.kill('SIGTERM');
    await new Promise((r) => p.on('exit', r));
    process.stderr.write(
      `  run ${i + 1}: healthy after ${healthy.toFixed(0)} ms, RSS ${rows.at(-1).rss.toFixed(0)} MB\n`,
    );
  }
} finally {
  rmSync(data, { recursive: true, force: true });
}
const median = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
console.log(`| figure | median of ${rows.length} |\n|---|---|`);
for (const [k, label, unit] of [
  ['healthy', 'spawn → /healthz 200', 'ms'],
  ['cpu', 'CPU until healthy (user + sys)', 'ms'],
  ['rss', `VmRSS after ${idle} s idle`, 'MB'],
  ['anon', '  RssAnon (heaps)', 'MB'],
  ['file', '  RssFile (mapped files, shared)', 'MB'],
  ['shmem', '  RssShmem', 'MB'],
  ['peak', 'VmHWM (peak RSS)', 'MB'],
  ['heapUsed', 'V8 heap used', 'MB'],
  ['heapTotal', 'V8 heap total', 'MB'],
]) {
  console.log(`| ${label} | ${median(k).toFixed(k === 'healthy' || k === 'cpu' ? 0 : 1)} ${unit} |`);
}
