// Times and hour blocks as a person reads them in a terminal: whole seconds in a named zone
// (the site's for its stats, UTC for account records), and the seed's 4-hour block as the
// hours it covers. The JSON output keeps the API's values (ISO instants, block numbers).

/** `2026-10-31 22:59:12` in the zone: no milliseconds, no `T`, no offset to decode. */
export function localTime(iso: string, timezone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  // sv-SE writes dates as YYYY-MM-DD and times as HH:MM:SS, the ISO order.
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

/** An account record's time (users, keys): `2026-11-30 14:03:21 UTC`. */
export function utcTime(iso: string): string {
  return `${localTime(iso, 'UTC')} UTC`;
}

/** `time:hour_block` 12 → `12–16`: the hours the block covers, not the first alone. */
export function hourBlockText(first: number): string {
  return `${first}–${first + 4}`;
}
