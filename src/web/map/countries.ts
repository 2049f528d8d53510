// The countries query (by code and name) split for its two uses: the map needs every
// country by code, the list the top rows by name.
import { dimensionText, type QueryResponse, type QueryRow } from '../api/types.js';

export interface CountryVisitors {
  code: string;
  name: string;
  visitors: number;
}

/** Rows by [code, name] → the map's numbers and the list's rows (by name). */
export function splitCountries(res: QueryResponse, top = 9): { map: CountryVisitors[]; rows: QueryRow[] } {
  return {
    map: res.results.map((r) => ({
      code: dimensionText(r, 0),
      name: dimensionText(r, 1),
      visitors: r.metrics[0] ?? 0,
    })),
    rows: res.results.slice(0, top).map((r) => ({ dimensions: [dimensionText(r, 1)], metrics: r.metrics })),
  };
}
