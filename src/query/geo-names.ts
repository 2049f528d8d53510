// Names for the codes the store keeps: countries by ISO 3166-1 alpha-2 (from the ICU data in
// Node, so "US" reads "United States"), regions by ISO 3166-2 (CLDR English names).
import { regionDisplayNames } from '../enrich/geo-regions.js';

const countries = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
let regions: Map<string, string> | undefined;

export function countryName(code: string): string {
  if (code === '') return '';
  try {
    return countries.of(code) ?? code;
  } catch {
    return code;
  }
}

export function regionName(code: string): string {
  if (code === '') return '';
  regions ??= regionDisplayNames();
  return regions.get(code) ?? code;
}

/** Every (code, name) pair, for filtering on names inside the database. */
export function geoNameRows(): { kind: 'country' | 'region'; code: string; name: string }[] {
  regions ??= regionDisplayNames();
  const rows: { kind: 'country' | 'region'; code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = countryName(code);
      if (name !== code) rows.push({ kind: 'country', code, name });
    }
  }
  for (const [code, name] of regions) rows.push({ kind: 'region', code, name });
  return rows;
}
