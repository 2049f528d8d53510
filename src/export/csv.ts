// CSV whose cells cannot be read as spreadsheet formulas: a cell starting with = + - @ tab or
// CR gets a leading apostrophe. What `footfall query --csv` prints and the dashboard's Export
// and Download CSV write (browser code too: no Node imports here).

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
}
