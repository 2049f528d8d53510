// Robustness under faults, on loopback with real server processes (numbers in BENCHMARKS.md,
// "Robustness"). Bounded: a fixed number of events per phase, nothing runs in a loop.
//
//   npm run bench:faults                 kill -9 cycles, then the disk-full scenario
//   npm run bench:faults -- --cycles 5   fewer kill -9 cycles (default 10)
//
// 1. kill -9 under load: one data directory; each cycle starts the server, sends events at
//    64 in flight, kills it with SIGKILL after a random number of acknowledgements, and starts
//    again. At the end: acknowledged events not stored (must be 0) and stored twice (must be 0).
// 2. A full disk: the data directory is a small tmpfs (mounted in a user namespace through
//    `unshare`, so no root is needed), filled by a filler file to 8 KB of free space (so
//    journal writes are first cut short, then refused) while events arrive, then freed. Reports what was answered, whether /healthz recovers, whether SIGTERM
//    exits 0, whether the directory starts again, and acknowledged events lost.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fireEvents } from '../test/helpers/load.js';
import {
  type ChildServer,
  readEvents,
  removeDir,
  seedSites,
  spawnServer,
  tempDir,
} from '../test/helpers/server.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

/** Paths stored, and how many rows repeat one. */
async function stored(dataDir: string): Promise<{ paths: Set<string>; duplicates: number }> {
  const rows = await readEvents(dataDir, 'SELECT pathname FROM events');
  const paths = new Set(rows.map((r) => String(r.pathname)));
  return { paths, duplicates: rows.length - paths.size };
}

async function stop(server: ChildServer): Promise<number | null> {
  server.proc.kill('SIGTERM');
  return (await server.exited).code;
}

// A small deterministic generator, so a run can be repeated.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

async function killCycles(cycles: number): Promise<void> {
  const dataDir = tempDir('footfall-bench-kill-');
  try {
    await seedSites(dataDir, ['example.com']);
    const acked = new Set<string>();
    let restartMs = 0;
    const started = performance.now();
    for (let c = 1; c <= cycles; c++) {
      const t = performance.now();
      const server = await spawnServer(dataDir);
      restartMs = Math.max(restartMs, performance.now() - t);
      const killAt = 200 + Math.floor(random() * 1600);
      const prefix = `/k${c}/`;
      const load = await fireEvents({
        url: server.url,
        total: 2000,
        concurrency: 64,
        pathPrefix: prefix,
        onAck: (n) => {
          if (n === killAt) server.proc.kill('SIGKILL');
        },
      });
      await server.exited;
      for (const i of load.acked) acked.add(`${prefix}${i}`);
    }
    const last = await spawnServer(dataDir);
    const exit = await stop(last);
    const { paths, duplicates } = await stored(dataDir);
    const lost = [...acked].filter((p) => !paths.has(p)).length;
    console.log(
      `kill -9: ${cycles} cycles in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
        `${acked.size} events acknowledged, ${lost} lost, ${duplicates} stored twice, ` +
        `${paths.size - (acked.size - lost)} stored without an answer (in flight at the kill); ` +
        `slowest restart ${Math.round(restartMs)} ms; final SIGTERM exit ${exit}`,
    );
  } finally {
    removeDir(dataDir);
  }
}

/** Writes zeros until the file system refuses (ENOSPC); returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let total = 0;
  try {
    for (;;) {
      try {
        total += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') {
          // Fill the last partial chunk too, byte by byte in halves.
          for (let size = chunk.length / 2; size >= 1; size = Math.floor(size / 2)) {
            try {
              total += writeSync(fd, chunk, 0, size);
            } catch {}
          }
          return total;
        }
        throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

async function healthz(url: string): Promise<number> {
  return (await fetch(`${url}/healthz`)).status;
}

/** Free bytes left after filling the disk: less than a batch of journal lines. */
const LEAVE_FREE = 8 * 1024;

/** Runs inside the user and mount namespace (see diskFull). */
async function diskFullInner(sizeMb: number): Promise<void> {
  const dataDir = tempDir('footfall-bench-full-');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dataDir], {
    encoding: 'utf8',
  });
  if (mount.status !== 0) throw new Error(`mount: ${mount.stderr}`);
  try {
    await seedSites(dataDir, ['example.com']);
    const server = await spawnServer(dataDir);
    const count = (r: Awaited<ReturnType<typeof fireEvents>>) => {
      const by = new Map<number, number>();
      for (const s of r.statuses.values()) by.set(s, (by.get(s) ?? 0) + 1);
      return [...by].map(([s, n]) => `${n}×${s}`).join(' ');
    };
    const acked = new Set<string>();
    const phase = async (prefix: string) => {
      const r = await fireEvents({ url: server.url, total: 2000, concurrency: 32, pathPrefix: prefix });
      for (const i of r.acked) acked.add(`${prefix}${i}`);
      return r;
    };
    const before = await phase('/before/');
    const filler = path.join(dataDir, 'filler');
    // Leave a few pages free: the next journal writes are cut short, then refused (ENOSPC).
    const filled = fillDisk(filler) - LEAVE_FREE;
    truncateSync(filler, filled);
    const during = await phase('/full/');
    const healthFull = await healthz(server.url);
    rmSync(filler);
    const freedAt = performance.now();
    let recoveredMs = -1;
    while (performance.now() - freedAt < 5000) {
      if ((await healthz(server.url)) === 200) {
        recoveredMs = performance.now() - freedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await phase('/after/');
    const exit = await stop(server);
    const output = server.output();
    let restart = 'started';
    try {
      const again = await spawnServer(dataDir);
      await stop(again);
    } catch (err) {
      const lines = String((err as Error).message)
        .trim()
        .split('\n');
      restart = `did not start (${lines.at(-1)?.slice(0, 160)})`;
    }
    const { paths, duplicates } = await stored(dataDir);
    const lost = [...acked].filter((p) => !paths.has(p)).length;
    const quarantine = path.join(dataDir, 'journal', 'quarantine.ndjson');
    const quarantined = existsSync(quarantine) ? readFileSync(quarantine, 'utf8').split('\n').length - 1 : 0;
    console.log(
      `disk full (${sizeMb} MB tmpfs, filled to ${LEAVE_FREE / 1024} KB free): ` +
        `before ${count(before)}; while full ${count(during)}, /healthz ${healthFull}; ` +
        `after freeing: /healthz 200 after ${recoveredMs < 0 ? 'never (5 s)' : `${Math.round(recoveredMs)} ms`}, ` +
        `${count(after)}; SIGTERM exit ${exit}; restart ${restart}; ` +
        `${acked.size} acknowledged, ${lost} lost, ${duplicates} stored twice, ${quarantined} lines quarantined`,
    );
    const errors = output.split('\n').filter((l) => /ingest:|journal:|shutdown/.test(l));
    if (errors.length > 0)
      console.log(`  server log (first 3 of ${errors.length}):\n  ${errors.slice(0, 3).join('\n  ')}`);
  } finally {
    spawnSync('umount', [dataDir]);
    removeDir(dataDir);
  }
}

/** Re-runs this script inside `unshare --user --map-root-user --mount`, where mounting a tmpfs needs no root. */
function diskFull(sizeMb: number): void {
  const run = spawnSync(
    'unshare',
    [
      '--user',
      '--map-root-user',
      '--mount',
      process.execPath,
      '--import',
      'tsx',
      import.meta.filename,
      '--disk-full-inner',
      String(sizeMb),
    ],
    { stdio: 'inherit' },
  );
  if (run.error || run.status !== 0)
    console.log('disk full: skipped (unshare with a user namespace is not available)');
}

if (args.includes('--disk-full-inner')) {
  await diskFullInner(flag('--disk-full-inner', 32));
} else {
  await killCycles(flag('--cycles', 10));
  diskFull(32);
}
