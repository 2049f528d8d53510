// The chart's time buckets. Its own file so the URL state and the range helpers can both
// name them without importing each other.
export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
