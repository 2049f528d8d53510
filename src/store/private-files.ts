// The data directory holds today's salts, password hashes, session and share tokens: it is
// made readable by its owner only (directories 0700, files 0600), like the control socket.
// Before, the directory and journal were 0755 and footfall.duckdb 0644 (issue 11.10). Files
// DuckDB creates on its own (the .wal) get the process umask, and rely on the directory.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the directory (and missing parents) readable by its owner only; an existing one is left alone. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * One line for each of `paths` that exists and that other users may read or enter, naming
 * the chmod that fixes it. Empty on Windows, where modes mean nothing.
 */
export function widerThanPrivate(paths: readonly string[]): string[] {
  if (process.platform === 'win32') return [];
  return paths.flatMap((p) => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p);
    } catch {
      return [];
    }
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) === 0) return [];
    const want = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    return [
      `warning: ${path.resolve(p)} is open to other users (mode ${mode.toString(8).padStart(4, '0')}) ` +
        `and holds salts, password hashes and tokens: chmod ${want.toString(8)} ${path.resolve(p)}`,
    ];
  });
}
