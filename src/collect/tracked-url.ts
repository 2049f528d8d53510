// The page URL every event carries: absolute http(s), at most 2,000 bytes. From it come the
// hostname (which names the site), the pathname and the UTM fields.
import { footfallError } from '../errors.js';
import { LIMITS } from './limits.js';
import type { TrackedUrl } from './raw-event.js';
import { byteLength, checkText, truncateChars } from './text.js';

const UTM_CHARS = 500;

function param(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  return value ? truncateChars(checkText(value, name), UTM_CHARS) : '';
}

/** Percent-decoded path ("/blog/café"), kept encoded when it does not decode cleanly. */
function readablePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/**
 * @param hashRouting include `#fragment` in the pathname (single-page apps that route by hash).
 */
export function parseTrackedUrl(input: unknown, hashRouting = false): TrackedUrl {
  if (input === undefined || input === null || input === '') throw footfallError('FOOTFALL_ERR_MISSING_URL');
  if (typeof input !== 'string') throw footfallError('FOOTFALL_ERR_INVALID_URL', 'not a string');
  if (byteLength(input) > LIMITS.urlBytes) throw footfallError('FOOTFALL_ERR_URL_TOO_LONG');
  checkText(input, 'url');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw footfallError('FOOTFALL_ERR_INVALID_URL', 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw footfallError('FOOTFALL_ERR_INVALID_URL', `scheme ${url.protocol} is not tracked`);
  }
  if (!url.hostname) throw footfallError('FOOTFALL_ERR_INVALID_URL', 'no host');
  const path = readablePath(url.pathname) + (hashRouting && url.hash ? url.hash : '');
  const p = url.searchParams;
  return {
    hostname: url.hostname,
    pathname: checkText(path, 'url'),
    // Plausible also reads ?ref= and ?source= as the source when utm_source is absent.
    utmSource: param(p, 'utm_source') || param(p, 'ref') || param(p, 'source'),
    utmMedium: param(p, 'utm_medium'),
    utmCampaign: param(p, 'utm_campaign'),
    utmTerm: param(p, 'utm_term'),
    utmContent: param(p, 'utm_content'),
  };
}
