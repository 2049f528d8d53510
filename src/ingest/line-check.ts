// Whether a journal line can be loaded into the events table, judged in JavaScript. Used
// only after a segment's load failed, to tell a damaged line (moved to quarantine) from a
// store that cannot take writes (the segment is kept and retried): the loader's fast path
// stays DuckDB's JSON reader. Strict: the journal's own encoder (row-codec.ts) writes exactly
// these types, so anything else was damaged or made by hand.
import { EVENT_COLUMNS, type ValueKind } from '../store/event-columns.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UBIGINT_MAX = 2n ** 64n - 1n;

const isUint = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** A check per kind of value a journal line holds (event-columns.ts). */
const CHECKS: Record<ValueKind, (v: unknown) => boolean> = {
  u32: (v) => isUint(v, 0xffff_ffff),
  u8: (v) => isUint(v, 0xff),
  epoch_ms: (v) => Number.isSafeInteger(v),
  u64: (v) => typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) <= UBIGINT_MAX,
  text: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  decimal: (v) => typeof v === 'string' && /^-?\d{1,15}\.\d{3}$/.test(v),
  currency: (v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v),
  props: (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === 'string'),
};

/** Why the line (without its \n) cannot be loaded; undefined when it can. */
export function lineProblem(line: Buffer): string | undefined {
  let text: string;
  try {
    text = UTF8.decode(line);
  } catch {
    return 'not valid UTF-8';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const o = parsed as Record<string, unknown>;
  for (const c of EVENT_COLUMNS) {
    const v = o[c.key];
    if ((v === null || v === undefined) && c.nullable) continue;
    if (!CHECKS[c.kind](v)) return `"${c.key}" (${c.name}) is not a valid ${c.kind}`;
  }
  return undefined;
}
