// The day-of-week × hour-of-day grid from a query by time:day_of_week (1 = Monday … 7 =
// Sunday) and time:hour_of_day (0–23); cells without a row are 0.
import type { QueryRow } from '../api/types.js';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function heatGrid(rows: QueryRow[]): { cells: number[][]; max: number } {
  const cells = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  let max = 0;
  for (const r of rows) {
    const day = Number(r.dimensions[0]);
    const hour = Number(r.dimensions[1]);
    const v = r.metrics[0] ?? 0;
    if (!Number.isInteger(day) || day < 1 || day > 7 || !Number.isInteger(hour) || hour < 0 || hour > 23)
      continue;
    cells[day - 1]![hour] = v;
    max = Math.max(max, v);
  }
  return { cells, max };
}
