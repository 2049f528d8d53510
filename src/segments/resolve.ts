// A query's `["is", "segment", [id, …]]` filters replaced by the saved filters of those
// segments, before the query is parsed — as Plausible resolves them
// (lib/plausible/segments/filters.ex): one id stands for its filters AND-ed, several for an
// OR of each one's filters, at most 10 ids in a query, and a segment the asker may not see
// is refused as if it did not exist. A segment's own filters hold no segment filter
// (segment-input.ts), so one pass resolves everything.
import { footfallError } from '../errors.js';
import type { Segment } from '../store/segments.js';

const MAX_SEGMENT_IDS = 10;

/** The segments of a site the asker may use, by id (others are left out of the map). */
export type SegmentLookup = (domain: string, ids: number[]) => Promise<Map<number, unknown[]>>;

/** Who may use a segment: site segments anyone who may read the site; personal ones their owner. */
export function usableBy(segment: Segment, userId: number | null): boolean {
  return segment.type === 'site' || (userId !== null && segment.ownerId === userId);
}

function bad(what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `filters: Invalid filters. ${what}`);
}

const isSegmentFilter = (f: unknown): f is unknown[] =>
  Array.isArray(f) && typeof f[0] === 'string' && f[1] === 'segment';

/** Visits every filter node (through and/or/not) and lets `fn` replace it; malformed nodes are left for the parser. */
function mapFilters(filters: unknown[], fn: (f: unknown) => unknown): unknown[] {
  const walk = (f: unknown): unknown => {
    if (!Array.isArray(f)) return f;
    if ((f[0] === 'and' || f[0] === 'or') && Array.isArray(f[1]) && f.length === 2)
      return [f[0], f[1].map(walk)];
    if (f[0] === 'not' && f.length === 2) return ['not', walk(f[1])];
    return fn(f);
  };
  return filters.map(walk);
}

function segmentIds(filter: unknown[]): number[] {
  if (filter[0] !== 'is') bad('Segments are filtered with "is" (wrap it in "not" for the opposite).');
  const values = filter[2];
  if (!Array.isArray(values) || values.length === 0) bad('A segment filter names at least one segment id.');
  return values.map((v) => {
    const id = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
      bad(`${JSON.stringify(v)} is not a segment id.`);
    return id;
  });
}

/** Whether saved filters name a goal or a behavioural filter (has_done / has_not_done), at any depth. */
function holdsGoals(filters: unknown[]): boolean {
  let found = false;
  const walk = (f: unknown): void => {
    if (!Array.isArray(f)) return;
    if (f[0] === 'has_done' || f[0] === 'has_not_done' || f[1] === 'event:goal') found = true;
    else if ((f[0] === 'and' || f[0] === 'or') && Array.isArray(f[1])) f[1].forEach(walk);
    else if (f[0] === 'not') walk(f[1]);
  };
  filters.forEach(walk);
  return found;
}

/**
 * The request with its segment filters resolved (the same object when it has none). Throws
 * FOOTFALL_ERR_INVALID_QUERY with Plausible's sentences when there are too many or one is
 * missing or not the asker's. `takesGoals: false` (journeys, prop-keys, funnels) refuses a
 * segment that holds goal or behavioural filters by name, rather than with the parser's
 * "unknown dimension" about a filter the asker never wrote.
 */
export async function resolveSegments(
  input: unknown,
  lookup: SegmentLookup,
  takesGoals = true,
): Promise<unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { filters, site_id: site } = input as { filters?: unknown; site_id?: unknown };
  if (!Array.isArray(filters)) return input;
  const wanted: number[] = [];
  mapFilters(filters, (f) => {
    if (isSegmentFilter(f)) wanted.push(...segmentIds(f));
    return f;
  });
  if (wanted.length === 0) return input;
  if (wanted.length > MAX_SEGMENT_IDS)
    bad(`You can only use up to ${MAX_SEGMENT_IDS} segment filters in a query.`);
  const found = typeof site === 'string' ? await lookup(site, [...new Set(wanted)]) : new Map();
  if (wanted.some((id) => !found.has(id))) bad("Some segments don't exist or aren't accessible.");
  const goalSegment = takesGoals ? undefined : wanted.find((id) => holdsGoals(found.get(id)!));
  if (goalSegment !== undefined)
    bad(`Segment ${goalSegment} holds goal or behavioural filters, which this endpoint does not take.`);
  const expanded = mapFilters(filters, (f) => {
    if (!isSegmentFilter(f)) return f;
    const ids = segmentIds(f);
    const one = (id: number) => ['and', found.get(id)!];
    return ids.length === 1 ? one(ids[0]!) : ['or', ids.map(one)];
  });
  // A top-level AND is the list itself: [A, ["and", [B, C]]] reads as [A, B, C].
  const flat = expanded.flatMap((f) =>
    Array.isArray(f) && f[0] === 'and' && Array.isArray(f[1]) ? (f[1] as unknown[]) : [f],
  );
  return { ...(input as object), filters: flat };
}
