// What to tell an operator when the data directory cannot be read or written: the start-up
// errors name the fix, not just the failure (README, "Durability"). Node reports a code
// (ENOSPC); DuckDB reports only text, so both are read.
const FIXES: Array<{ code: string; text: RegExp; fix: (dir: string) => string }> = [
  { code: 'ENOSPC', text: /no space left on device/i, fix: (d) => `free disk space where ${d} lives` },
  {
    code: 'EACCES',
    text: /permission denied/i,
    fix: (d) => `let the user running Footfall read and write ${d}`,
  },
  {
    code: 'EPERM',
    text: /operation not permitted/i,
    fix: (d) => `let the user running Footfall read and write ${d}`,
  },
  { code: 'EROFS', text: /read-only file system/i, fix: (d) => `mount ${d} read-write` },
  { code: 'EIO', text: /input\/output error/i, fix: (d) => `check the disk holding ${d} (see dmesg)` },
];

/** The fix for a file-system failure under `dir`, or undefined when the error is not one. */
export function diskFix(err: unknown, dir: string): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return FIXES.find((f) => f.code === code || f.text.test(message))?.fix(dir);
}

/** The first line of an error's message (DuckDB's run to several). */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim();
}
