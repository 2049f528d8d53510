// The segments an asker may use in a query: site segments for anyone who may read the site
// (share links and the operator included), personal ones for their owner alone.
import type { SegmentStore } from '../store/segments.js';
import type { SegmentLookup } from './resolve.js';

export function segmentLookup(store: SegmentStore, userId: number | null): SegmentLookup {
  return async (domain, ids) => {
    const visible = await store.listSegments(domain, userId);
    return new Map(visible.filter((s) => ids.includes(s.id)).map((s) => [s.id, s.filters]));
  };
}
