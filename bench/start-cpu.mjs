// node bench/start-cpu.mjs <bundle> [runs]: CPU milliseconds (utime + stime from /proc) of
// `footfall serve` from spawn until it prints its listening line, on a fresh data directory,
// median of the runs. CPU rather than wall time: on a shared machine wall time measures the
// neighbours. See BENCHMARKS.md "Start-up".
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [bundle, n = '7'] = process.argv.slice(2);
const times = [];
for (let i = 0; i < Number(n); i++) {
  const data = mkdtempSync(path.join(tmpdir(), 'ff-start-'));
  const t0 = performance.now();
  const p = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise((resolve) => {
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      if (/listening|http:\/\//i.test(out)) resolve();
    });
    p.stderr.on('data', (d) => {
      out += d;
      if (/listening|http:\/\//i.test(out)) resolve();
    });
  });
  const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const cpu = (Number(stat[11]) + Number(stat[12])) * 10; // utime+stime in ticks (100 Hz) → ms
  times.push([cpu, performance.now() - t0]);
  p.kill('SIGTERM');
  await new Promise((r) => p.on('exit', r));
  rmSync(data, { recursive: true, force: true });
}
times.sort((a, b) => a[0] - b[0]);
const m = times[Math.floor(times.length / 2)];
console.log(`${bundle}: median CPU ${m[0]} ms, wall ${m[1].toFixed(0)} ms (of ${n})`);
