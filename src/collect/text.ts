// Checks for strings that arrive from the outside world.
import { footfallError } from '../errors.js';
import { LIMITS } from './limits.js';

// In a /u regex a well-formed surrogate pair is one code point, so \p{Cs} finds only
// lone surrogates — text that has no UTF-8 form.
const BAD_TEXT = /[\0\p{Cs}]/u;

/** Throws FOOTFALL_ERR_INVALID_ENCODING for NUL bytes or text that is not valid Unicode. */
export function checkText(value: string, field: string): string {
  if (BAD_TEXT.test(value)) throw footfallError('FOOTFALL_ERR_INVALID_ENCODING', field);
  return value;
}

export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** A field that may be absent (→ '') or a string that passes checkText; anything else is a 400. */
export function optionalText(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string')
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${field} must be a string`);
  return checkText(value, field);
}

/** Cuts to at most `max` characters without splitting a surrogate pair. */
export function truncateChars(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A referrer is kept as sent when short; a long one loses its query string, then is cut. */
export function clampReferrer(value: string): string {
  if (byteLength(value) <= LIMITS.referrerBytes) return value;
  const noQuery = value.replace(/[?#].*$/s, '');
  if (byteLength(noQuery) <= LIMITS.referrerBytes) return noQuery;
  return Buffer.from(noQuery, 'utf8')
    .subarray(0, LIMITS.referrerBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/** decodeURIComponent that answers 400 instead of throwing on bad percent-escapes or bad UTF-8. */
export function decodeComponent(value: string, field: string): string {
  try {
    return checkText(decodeURIComponent(value.replace(/\+/g, ' ')), field);
  } catch (err) {
    if (err instanceof URIError) throw footfallError('FOOTFALL_ERR_INVALID_ENCODING', field);
    throw err;
  }
}
