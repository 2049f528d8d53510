// Time zones are IANA names, checked against the runtime's list (the same ICU data DuckDB
// uses), so a time zone can be bound into SQL safely later.
import { footfallError } from '../errors.js';

let known: Set<string> | undefined;

export function normalizeTimezone(input: string): string {
  known ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (known.has(input)) return input;
  // Accept a different letter case ("europe/berlin") and return the canonical spelling.
  const lower = input.toLowerCase();
  for (const zone of known) if (zone.toLowerCase() === lower) return zone;
  throw footfallError(
    'FOOTFALL_ERR_INVALID_TIMEZONE',
    `"${input}" — use a name like Europe/Berlin or America/New_York`,
  );
}
