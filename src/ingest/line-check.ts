// Whether a journal line can be loaded into the events table, judged in JavaScript. Used
// only after a segment's load failed, to tell a damaged line (moved to quarantine) from a
// store that cannot take writes (the segment is kept and retried): the loader's fast path
// stays DuckDB's JSON reader. Strict: the journal's own encoder (row-codec.ts) writes exactly
// these types, so anything else was damaged or made by hand.
import { EVENT_COLUMNS } from '../store/event-columns.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UBIGINT_MAX = 2n ** 64n - 1n;

const isUint = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** A check per type read_json is given for a column (event-columns.ts). */
const CHECKS: Record<string, (v: unknown) => boolean> = {
  UINTEGER: (v) => isUint(v, 0xffff_ffff),
  UTINYINT: (v) => isUint(v, 0xff),
  BIGINT: (v) => Number.isSafeInteger(v),
  UBIGINT: (v) => typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) <= UBIGINT_MAX,
  VARCHAR: (v) => typeof v === 'string',
  BOOLEAN: (v) => typeof v === 'boolean',
  'MAP(VARCHAR, VARCHAR)': (v) =>
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
    const check = CHECKS[c.jsonType];
    if (!check) throw new Error(`no check for journal type ${c.jsonType}`);
    if (!check(v)) return `"${c.key}" (${c.name}) is not a valid ${c.jsonType}`;
  }
  return undefined;
}
