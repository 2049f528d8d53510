// Plausible-format export zips written by tests from known rows (test/import/plausible.test.ts,
// test/query/imports.test.ts).
import { strToU8, zipSync } from 'fflate';

/** A CSV file: the header and rows, cells quoted where they hold a comma, quote or new line. */
export function csv(header: string, rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[header, ...rows.map((r) => r.map(cell).join(','))].join('\n')}\n`;
}

export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [n, strToU8(t)])));
}
