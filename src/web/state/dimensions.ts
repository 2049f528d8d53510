// The dimensions a user can filter by, with the names the dashboard shows for them. The
// URL codec accepts only these (and event:props:<key>), so a pasted link cannot smuggle an
// arbitrary string into a dimension position.

export interface DimensionInfo {
  dim: string;
  label: string;
}

export const FILTER_DIMENSIONS: readonly DimensionInfo[] = [
  { dim: 'event:page', label: 'Page' },
  { dim: 'visit:entry_page', label: 'Entry page' },
  { dim: 'visit:exit_page', label: 'Exit page' },
  { dim: 'event:title', label: 'Page title' },
  { dim: 'event:hostname', label: 'Hostname' },
  { dim: 'event:name', label: 'Event' },
  { dim: 'event:goal', label: 'Goal' },
  { dim: 'visit:source', label: 'Source' },
  { dim: 'visit:channel', label: 'Channel' },
  { dim: 'visit:referrer', label: 'Referrer' },
  { dim: 'visit:utm_source', label: 'UTM source' },
  { dim: 'visit:utm_medium', label: 'UTM medium' },
  { dim: 'visit:utm_campaign', label: 'UTM campaign' },
  { dim: 'visit:utm_term', label: 'UTM term' },
  { dim: 'visit:utm_content', label: 'UTM content' },
  { dim: 'visit:country', label: 'Country code' },
  { dim: 'visit:country_name', label: 'Country' },
  { dim: 'visit:region_name', label: 'Region' },
  { dim: 'visit:city_name', label: 'City' },
  { dim: 'visit:browser', label: 'Browser' },
  { dim: 'visit:browser_version', label: 'Browser version' },
  { dim: 'visit:os', label: 'Operating system' },
  { dim: 'visit:os_version', label: 'OS version' },
  { dim: 'visit:device', label: 'Device' },
  { dim: 'visit:screen', label: 'Screen' },
  { dim: 'visit:language', label: 'Language' },
];

/** A saved segment (`["is", "segment", [id]]`): applied from the Segments menu, not the filter form. */
export const SEGMENT_DIMENSION = 'segment';

const LABELS = new Map([
  ...FILTER_DIMENSIONS.map((d): [string, string] => [d.dim, d.label]),
  [SEGMENT_DIMENSION, 'Segment'],
]);
const PROP_PREFIX = 'event:props:';

export function isFilterDimension(dim: string): boolean {
  return LABELS.has(dim) || (dim.startsWith(PROP_PREFIX) && dim.length > PROP_PREFIX.length);
}

export function dimensionLabel(dim: string): string {
  if (dim.startsWith(PROP_PREFIX)) return `Property ${dim.slice(PROP_PREFIX.length)}`;
  return LABELS.get(dim) ?? dim;
}
