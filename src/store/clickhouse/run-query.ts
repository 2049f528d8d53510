// Runs one read statement built by src/query on ClickHouse. The statement's placeholders are
// ClickHouse typed parameters named p1, p2, … (`{p1:String}`), bound from `params` in order.
//
// Rows come back as plain objects with JS values, as the DuckDB store gives them:
// - 64-bit integers (quoted by ClickHouse, client.ts) become numbers when they fit in a double
//   exactly and bigints when not; 8–32-bit integers and floats are numbers already;
// - DateTime and DateTime64 become Dates (UTC);
// - everything else (strings, Bool, Map, Array, Nullable NULL) is as ClickHouse's JSON has it.
//
// Turns and time: the statement waits for a turn of the store's query gate (store/query-gate.ts:
// a few at once, a bounded line, per-owner shares, as on DuckDB — with chdb the statements
// run on libuv's threads, which the journal's writes need too), shares its request's
// deadline, is told the rest as max_execution_time and is also aborted on the client at the
// deadline, so it ends even when the server stops answering. Past it:
// FOOTFALL_ERR_QUERY_TIMEOUT. An engine that cannot be reached: FOOTFALL_ERR_ENGINE_UNAVAILABLE
// (503), never a hang.
import type { ClickHouseClient } from '@clickhouse/client';
import { footfallError } from '../../errors.js';
import type { QueryGate } from '../query-gate.js';
import type { SqlValue } from '../types.js';
import { engineError } from './engine-errors.js';

interface Column {
  name: string;
  type: string;
}

/** ClickHouse's TIMEOUT_EXCEEDED and QUERY_WAS_CANCELLED. */
const TIMEOUT_CODES = new Set(['159', '394']);

/** Without a gate (Footfall's own few statements: /healthz, the start) it runs at once. */
export async function runClickHouseQuery(
  client: ClickHouseClient,
  sql: string,
  params: readonly SqlValue[],
  timeoutMs: number,
  gate?: QueryGate,
): Promise<Record<string, unknown>[]> {
  const turn = gate ? await gate.enter(timeoutMs) : { left: timeoutMs, leave: () => {} };
  const left = turn.left;
  const query_params: Record<string, SqlValue> = {};
  params.forEach((v, i) => {
    query_params[`p${i + 1}`] = v;
  });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), left);
  try {
    const result = await client.query({
      query: sql,
      query_params,
      format: 'JSON',
      abort_signal: abort.signal,
      clickhouse_settings: { max_execution_time: Math.max(1, Math.ceil(left / 1000)) },
    });
    // A statement without rows (the query layer's CREATE OR REPLACE of its names table)
    // answers with an empty body, not an empty JSON document.
    const text = await result.text();
    if (text.trim() === '') return [];
    const { meta, data } = JSON.parse(text) as { meta?: Column[]; data: Record<string, unknown>[] };
    return convertRows(meta ?? [], data);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (abort.signal.aborted || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
      throw footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `stopped after ${timeoutMs} ms`);
    }
    throw engineError(err);
  } finally {
    clearTimeout(timer);
    turn.leave();
  }
}

type Convert = (v: unknown) => unknown;

const toInteger: Convert = (v) => {
  if (typeof v !== 'string') return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v);
};
const toDate: Convert = (v) => (typeof v === 'string' ? new Date(v) : v);

/** How a column of this type is converted; undefined when its JSON value is used as it is. */
function converter(type: string): Convert | undefined {
  const inner = type.replace(/^(?:Nullable|LowCardinality)\((.*)\)$/, '$1');
  if (inner !== type) return converter(inner);
  if (/^U?Int(64|128|256)$/.test(type)) return toInteger;
  if (/^DateTime(64)?(\(|$)/.test(type)) return toDate;
  return undefined;
}

export function convertRows(
  meta: readonly Column[],
  data: Record<string, unknown>[],
): Record<string, unknown>[] {
  const conversions = meta
    .map((m) => ({ name: m.name, convert: converter(m.type) }))
    .filter((c): c is { name: string; convert: Convert } => c.convert !== undefined);
  if (conversions.length === 0) return data;
  for (const row of data) {
    for (const c of conversions) {
      const v = row[c.name];
      if (v !== null && v !== undefined) row[c.name] = c.convert(v);
    }
  }
  return data;
}
