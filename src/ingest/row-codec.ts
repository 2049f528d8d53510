// One EventRow → one journal line: a JSON object keyed by the short keys of EVENT_COLUMNS,
// which the store's loader reads back with DuckDB's JSON reader; and back (an import sends a
// running server its rows in this form: check them with line-check.ts first).

import { rowField } from '../store/event-batch.js';
import { EVENT_COLUMNS } from '../store/event-columns.js';
import type { EventRow } from '../store/event-row.js';

export function encodeRow(r: EventRow): string {
  const o: Record<string, unknown> = {};
  for (const c of EVENT_COLUMNS) o[c.key] = c.get(r);
  return JSON.stringify(o);
}

/** The row of a line that passed lineProblem(). */
export function decodeRow(line: string): EventRow {
  const o = JSON.parse(line) as Record<string, unknown>;
  const r: Record<string, unknown> = {};
  for (const c of EVENT_COLUMNS) {
    const v = o[c.key] ?? null;
    r[FIELDS[c.name]!] =
      c.kind === 'u64' ? BigInt(v as string) : c.kind === 'props' ? Object.entries(v as object) : v;
  }
  return r as unknown as EventRow;
}

/** EventRow's field for each column (the columns are its fields in snake case). */
const FIELDS: Readonly<Record<string, string>> = Object.fromEntries(
  EVENT_COLUMNS.map((c) => [c.name, rowField(c.name)]),
);
