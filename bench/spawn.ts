// Starts a server process for a benchmark and resolves once it logs "listening on <url>".
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface Target {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

export async function start(cmd: string[], env: NodeJS.ProcessEnv = {}): Promise<Target> {
  const [bin, ...args] = cmd;
  const proc = spawn(bin!, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', () => reject(new Error(`exited: ${out}`)));
  });
  return {
    url,
    pid: proc.pid!,
    stop: () =>
      new Promise((resolve) => {
        proc.on('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/**
 * `footfall serve` from a built dist/ (this checkout's, or `root`'s to measure another version)
 * on a free loopback port, with the operator key the benchmark asks with.
 */
export function serveBuilt(
  dataDir: string,
  adminKey: string,
  options: { root?: string; args?: readonly string[] } = {},
): Promise<Target> {
  return start([
    process.execPath,
    path.join(options.root ?? ROOT, 'dist/footfall.js'),
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data',
    dataDir,
    '--admin-key',
    adminKey,
    ...(options.args ?? []),
  ]);
}
