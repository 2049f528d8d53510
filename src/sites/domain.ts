// A site is named by its domain: lower-case, ASCII (IDNs in punycode), without `www.`.
// The same normalisation is applied to the hostname of every tracked URL, so
// `https://www.Example.com/x` and a site added as `example.com` meet.
import { domainToASCII } from 'node:url';
import { footfallError } from '../errors.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Hostname → the key sites are looked up by. Cheap: runs for every tracked event. */
export function siteKey(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h.startsWith('www.') ? h.slice(4) : h;
}

/** Validates what a user typed as a site's domain; throws FOOTFALL_ERR_INVALID_DOMAIN with a hint. */
export function normalizeDomain(input: string): string {
  const raw = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || raw.includes('/')) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_DOMAIN',
      `"${raw}" — give the host name only, e.g. example.com (no https:// and no path)`,
    );
  }
  const ascii = domainToASCII(raw);
  const key = ascii ? siteKey(ascii) : '';
  const labels = key.split('.');
  if (key.length === 0 || key.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_DOMAIN',
      `"${raw}" — use the host name your pages are served from, e.g. example.com or blog.example.com`,
    );
  }
  return key;
}
