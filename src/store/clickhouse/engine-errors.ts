// Which failures mean "ClickHouse cannot be reached right now" — answered 503
// FOOTFALL_ERR_ENGINE_UNAVAILABLE with a Retry-After, counted by /healthz, retried by the
// ingest loader — as against an error in the statement itself, which is passed on unchanged.
import { footfallError } from '../../errors.js';
import { firstLine } from '../disk-fix.js';

/** Seconds a client is asked to wait before retrying. */
export const ENGINE_RETRY_AFTER_S = 5;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** ClickHouse's own "busy" answers: TOO_MANY_SIMULTANEOUS_QUERIES, SERVER_OVERLOADED. */
const BUSY_CODES = new Set(['202', '745']);

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || BUSY_CODES.has(e.code))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  // clickhouse-js's own request timeout, a dropped socket, a closed chdb session.
  if (/^Timeout error\b|socket hang up|ChdbConnection is closed|connect ECONNREFUSED/i.test(message))
    return true;
  return e.cause !== undefined && e.cause !== err && isUnavailable(e.cause);
}

/** The error to pass on: a coded 503 when the engine is unreachable, else the error itself. */
export function engineError(err: unknown): unknown {
  return isUnavailable(err)
    ? footfallError('FOOTFALL_ERR_ENGINE_UNAVAILABLE', firstLine(err), ENGINE_RETRY_AFTER_S)
    : err;
}
