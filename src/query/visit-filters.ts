// Two rewrites of a query's filters that make visit metrics answer as Plausible's do
// (Plausible's query_optimizer.ex does the same two; learned from it, not copied):
// - In a breakdown by page (or hostname), visit rates are grouped by the page (host) the visit
//   entered on, and filters on the page (host) then select entry pages (hosts).
// - A top-level hostname filter also limits the visit dimensions that come from a visit's
//   start (source, referrer, channel, UTM tags, entry page) to visits that began on such a host,
//   and the exit page to visits that ended there, so a site's sources never show traffic that
//   arrived through another host.
import { type Filter, isBehavioural, isLeaf } from './model.js';

const PAGE_RENAMES: Readonly<Record<string, string>> = {
  'event:page': 'visit:entry_page',
  'event:hostname': 'visit:entry_page_hostname',
};

const ENTRY_HOST = 'visit:entry_page_hostname';
const HOST_OF_VISIT_DIMENSION: Readonly<Record<string, string>> = {
  'visit:source': ENTRY_HOST,
  'visit:referrer': ENTRY_HOST,
  'visit:channel': ENTRY_HOST,
  'visit:utm_source': ENTRY_HOST,
  'visit:utm_medium': ENTRY_HOST,
  'visit:utm_campaign': ENTRY_HOST,
  'visit:utm_term': ENTRY_HOST,
  'visit:utm_content': ENTRY_HOST,
  'visit:entry_page': ENTRY_HOST,
  'visit:exit_page': 'visit:exit_page_hostname',
};

/** Event dimensions grouped by → the visit dimension visit rates use instead. */
export function pageRenames(dimensions: readonly string[]): Map<string, string> {
  return new Map(dimensions.flatMap((d) => (Object.hasOwn(PAGE_RENAMES, d) ? [[d, PAGE_RENAMES[d]!]] : [])));
}

/**
 * The filters with the renamed dimensions, at any depth — but not inside a behavioural filter,
 * which asks what a visit's events did, not where it entered.
 */
export function renameFilters(filters: readonly Filter[], renames: ReadonlyMap<string, string>): Filter[] {
  return filters.map((f): Filter => {
    if (isLeaf(f)) return { ...f, dimension: renames.get(f.dimension) ?? f.dimension };
    if (isBehavioural(f)) return f;
    if (f.op === 'not') return { op: 'not', filter: renameFilters([f.filter], renames)[0]! };
    return { op: f.op, filters: renameFilters(f.filters, renames) };
  });
}

/** Filters to add: each top-level hostname filter, applied to the entry/exit host of the visits. */
export function visitHostFilters(filters: readonly Filter[], dimensions: readonly string[]): Filter[] {
  const hosts = new Set(
    dimensions.flatMap((d) =>
      Object.hasOwn(HOST_OF_VISIT_DIMENSION, d) ? [HOST_OF_VISIT_DIMENSION[d]!] : [],
    ),
  );
  return filters.flatMap((f) =>
    isLeaf(f) && f.dimension === 'event:hostname' ? [...hosts].map((dimension) => ({ ...f, dimension })) : [],
  );
}
