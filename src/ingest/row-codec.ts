// One EventRow → one journal line: a JSON object keyed by the short keys of EVENT_COLUMNS,
// which the store's loader reads back with DuckDB's JSON reader.
import { EVENT_COLUMNS } from '../store/event-columns.js';
import type { EventRow } from '../store/event-row.js';

export function encodeRow(r: EventRow): string {
  const o: Record<string, unknown> = {};
  for (const c of EVENT_COLUMNS) o[c.key] = c.get(r);
  return JSON.stringify(o);
}
