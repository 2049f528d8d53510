// Every dimension, defined once: where its value comes from. The compiler asks a dialect
// to turn these into SQL; nothing user-supplied reaches SQL except as a bound parameter.

export type DimensionSource =
  /**
   * A column of the events table, the same on every event of a visit for visit: dimensions.
   * `empty` is what an empty value reads as (Plausible's `(not set)` / `Direct / None`).
   */
  | { from: 'column'; column: string; names?: 'country' | 'region'; empty?: string }
  /** Computed per visit from its page views. */
  | { from: 'session'; field: 'entry_page' | 'exit_page' | 'entry_hostname' | 'exit_hostname' }
  /** A property of the event (`event:props:<key>`); '(none)' where the event lacks it. */
  | { from: 'prop'; key: string }
  | {
      from: 'time';
      unit: 'hour' | 'day' | 'week' | 'month' | 'auto' | 'hour_of_day' | 'hour_block' | 'day_of_week';
    };

/** What an empty stored value reads as, in results and in `is` filters (as in Plausible). */
export const NOT_SET = '(not set)';
export const NO_REFERRER = 'Direct / None';
const DIRECT_CHANNEL = 'Direct';

const COLUMN_DIMENSIONS: Readonly<Record<string, DimensionSource>> = {
  'event:page': { from: 'column', column: 'pathname' },
  'event:title': { from: 'column', column: 'title', empty: NOT_SET },
  'event:hostname': { from: 'column', column: 'hostname' },
  'event:name': { from: 'column', column: 'name' },
  'visit:entry_page': { from: 'session', field: 'entry_page' },
  'visit:exit_page': { from: 'session', field: 'exit_page' },
  // Plausible's names for the host of the entry and exit page.
  'visit:entry_page_hostname': { from: 'session', field: 'entry_hostname' },
  'visit:exit_page_hostname': { from: 'session', field: 'exit_hostname' },
  'visit:source': { from: 'column', column: 'source', empty: NO_REFERRER },
  'visit:referrer': { from: 'column', column: 'referrer', empty: NO_REFERRER },
  'visit:channel': { from: 'column', column: 'channel', empty: DIRECT_CHANNEL },
  'visit:utm_source': { from: 'column', column: 'utm_source', empty: NOT_SET },
  'visit:utm_medium': { from: 'column', column: 'utm_medium', empty: NOT_SET },
  'visit:utm_campaign': { from: 'column', column: 'utm_campaign', empty: NOT_SET },
  'visit:utm_term': { from: 'column', column: 'utm_term', empty: NOT_SET },
  'visit:utm_content': { from: 'column', column: 'utm_content', empty: NOT_SET },
  'visit:country': { from: 'column', column: 'country', empty: NOT_SET },
  'visit:country_name': { from: 'column', column: 'country', names: 'country', empty: NOT_SET },
  'visit:region': { from: 'column', column: 'region', empty: NOT_SET },
  'visit:region_name': { from: 'column', column: 'region', names: 'region', empty: NOT_SET },
  // DB-IP and GeoLite2 give city names, so the code and the name are the same value.
  'visit:city': { from: 'column', column: 'city', empty: NOT_SET },
  'visit:city_name': { from: 'column', column: 'city', empty: NOT_SET },
  'visit:browser': { from: 'column', column: 'browser', empty: NOT_SET },
  'visit:browser_version': { from: 'column', column: 'browser_version', empty: NOT_SET },
  'visit:os': { from: 'column', column: 'os', empty: NOT_SET },
  'visit:os_version': { from: 'column', column: 'os_version', empty: NOT_SET },
  'visit:device': { from: 'column', column: 'device', empty: NOT_SET },
  'visit:screen': { from: 'column', column: 'screen', empty: NOT_SET },
  'visit:language': { from: 'column', column: 'language', empty: NOT_SET },
};

const TIME_DIMENSIONS: Readonly<Record<string, DimensionSource>> = {
  time: { from: 'time', unit: 'auto' },
  'time:hour': { from: 'time', unit: 'hour' },
  'time:day': { from: 'time', unit: 'day' },
  'time:week': { from: 'time', unit: 'week' },
  'time:month': { from: 'time', unit: 'month' },
  'time:hour_of_day': { from: 'time', unit: 'hour_of_day' },
  // The seed's "which 4-hour block of the day is busiest": 0, 4, 8, 12, 16 or 20.
  'time:hour_block': { from: 'time', unit: 'hour_block' },
  'time:day_of_week': { from: 'time', unit: 'day_of_week' },
};

const PROP_PREFIX = 'event:props:';
export const MAX_PROP_KEY_LENGTH = 300;

/** Names a user can ask for; `event:props:<key>` stands for any property. */
export const DIMENSION_NAMES: readonly string[] = [
  ...Object.keys(COLUMN_DIMENSIONS),
  `${PROP_PREFIX}<key>`,
  ...Object.keys(TIME_DIMENSIONS),
];

/** The source of a dimension, or undefined when there is no such dimension. */
export function dimensionSource(name: string): DimensionSource | undefined {
  if (Object.hasOwn(COLUMN_DIMENSIONS, name)) return COLUMN_DIMENSIONS[name];
  if (Object.hasOwn(TIME_DIMENSIONS, name)) return TIME_DIMENSIONS[name];
  if (name.startsWith(PROP_PREFIX)) {
    const key = name.slice(PROP_PREFIX.length);
    if (key.length > 0 && Buffer.byteLength(key) <= MAX_PROP_KEY_LENGTH) return { from: 'prop', key };
  }
  return undefined;
}

export function isTimeDimension(name: string): boolean {
  return Object.hasOwn(TIME_DIMENSIONS, name);
}

/** time, time:hour, time:day, time:week or time:month: values are time buckets (one per query). */
export function isBucketDimension(name: string): boolean {
  const source = isTimeDimension(name) ? TIME_DIMENSIONS[name] : undefined;
  return source?.from === 'time' && ['auto', 'hour', 'day', 'week', 'month'].includes(source.unit);
}

/** A value meaning "the event has no such property", as Plausible shows it. */
export const NO_VALUE = '(none)';
