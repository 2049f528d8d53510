// CSV whose cells cannot be read as spreadsheet formulas: a cell starting with = + - @ tab or
// CR gets a leading apostrophe. What `footfall query --csv` prints and the dashboard's Export
// and Download CSV write (browser code too: no Node imports here).

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. `escaped` is what gets the apostrophe: by default formula starts; files meant
 * to be read back (exports) also escape a leading apostrophe, so the import can undo it exactly.
 */
export function csvCell(value: string, escaped: RegExp = FORMULA_START): string {
  const safe = escaped.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map((c) => csvCell(c)).join(',')).join('\n');
}
