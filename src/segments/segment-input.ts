// A segment as the API and the dashboard send it → a checked NewSegment. Every refusal is
// FOOTFALL_ERR_INVALID_SEGMENT naming the field. Plausible's rules (lib/plausible/segments/
// segment.ex): a name of 1–255 bytes, type personal or site, a non-empty list of filters that
// a query would accept, the whole at most 5 KB of JSON.
import { FootfallError, footfallError } from '../errors.js';
import { parseFiltersField } from '../query/parse.js';
import type { NewSegment, SegmentType } from '../store/segments.js';

const SEGMENT_LIMITS = { nameBytes: 255, filtersBytes: 5 * 1024 } as const;

/** The fields a segment is written with (POST and PATCH bodies). */
export const SEGMENT_FIELDS = ['name', 'type', 'filters'] as const;

function bad(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_SEGMENT', `${field}: ${what}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseSegmentInput(fields: Record<string, unknown>): NewSegment {
  const { name, type = 'personal', filters } = fields;
  if (typeof name !== 'string' || name.trim() === '') bad('name', 'must be a non-empty string');
  const trimmed = name.trim();
  if (Buffer.byteLength(trimmed) > SEGMENT_LIMITS.nameBytes)
    bad('name', `at most ${SEGMENT_LIMITS.nameBytes} bytes`);
  if (CONTROL.test(trimmed)) bad('name', 'must not hold control characters');
  if (type !== 'personal' && type !== 'site') bad('type', 'must be "personal" or "site"');
  if (!Array.isArray(filters) || filters.length === 0)
    bad('filters', 'must be a list of at least one filter');
  if (Buffer.byteLength(JSON.stringify(filters)) > SEGMENT_LIMITS.filtersBytes)
    bad('filters', `at most ${SEGMENT_LIMITS.filtersBytes} bytes of JSON`);
  try {
    // A query would accept them (a segment filter among them is an unknown dimension: no nesting).
    parseFiltersField(filters, true);
  } catch (err) {
    // The query's own words, which name the filter (`filters[0]: Invalid filter …`).
    if (err instanceof FootfallError && err.code === 'FOOTFALL_ERR_INVALID_QUERY')
      throw footfallError('FOOTFALL_ERR_INVALID_SEGMENT', err.message.replace(/^invalid query: /, ''));
    throw err;
  }
  return { name: trimmed, type: type as SegmentType, filters };
}
