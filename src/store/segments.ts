// What segment management and the query layer may ask of a store about saved segments: named
// sets of filters (Plausible's segments), personal to the person who saved one or shared with
// everyone who may read the site. Engine-neutral: plain values in and out; checks of meaning
// (valid filters, who may change what) stay in src/segments/.

export type SegmentType = 'personal' | 'site';

export interface NewSegment {
  name: string;
  type: SegmentType;
  /** Stats API v2 filters as sent (a non-empty list, checked by src/segments/segment-input.ts). */
  filters: unknown[];
}

export interface Segment extends NewSegment {
  id: number;
  /** Who saved it (or last changed a site segment); null when saved by the operator. */
  ownerId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SegmentStore {
  /** The site's segments the viewer sees: every site segment, and the viewer's personal ones. */
  listSegments(domain: string, viewerId: number | null): Promise<Segment[]>;
  /** One segment of the site, whoever it belongs to; undefined when the site has no such segment. */
  getSegment(domain: string, id: number): Promise<Segment | undefined>;
  /** Throws FOOTFALL_ERR_SITE_NOT_FOUND. */
  addSegment(domain: string, segment: NewSegment, ownerId: number | null, now: number): Promise<Segment>;
  /** Replaces name, type and filters; undefined when the site has no such segment. */
  updateSegment(
    domain: string,
    id: number,
    segment: NewSegment,
    ownerId: number | null,
    now: number,
  ): Promise<Segment | undefined>;
  removeSegment(domain: string, id: number): Promise<boolean>;
}
