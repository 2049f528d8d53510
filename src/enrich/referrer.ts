// The referrer as stored: the URL itself (only when it parses, and never a javascript:/data:
// URL) and its host, which the source/channel mapping keys on.
import { siteKey } from '../sites/domain.js';

export interface Referrer {
  url: string;
  host: string;
}

const NONE: Referrer = { url: '', host: '' };

export function parseReferrer(referrer: string): Referrer {
  if (referrer === '') return NONE;
  let parsed: URL;
  try {
    parsed = new URL(referrer);
  } catch {
    return NONE;
  }
  if (parsed.protocol === 'javascript:' || parsed.protocol === 'data:' || parsed.protocol === 'blob:')
    return NONE;
  const host = siteKey(parsed.hostname);
  return { url: referrer, host };
}
