// The seed's tracking, unchanged: GET /a.js serves a script that loads
// <public-url>/a.gif?url=…&ref=…&t=…, and the GIF endpoint records a page view.
import { footfallError } from '../errors.js';
import { LIMITS } from './limits.js';
import { pageviewEvent, type RawEvent } from './raw-event.js';
import { decodeComponent } from './text.js';
import { parseTrackedUrl } from './tracked-url.js';

/** The seed's beacon: a 43-byte transparent 1×1 GIF, byte for byte. */
export const BEACON_GIF = Buffer.from(
  'R0lGODlhAQABAIAAANvf7wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
);

/** The seed's script with the public URL filled in (JSON-quoted, so no URL can break out). */
export function seedScript(publicUrl: string): string {
  const prefix = JSON.stringify(`${publicUrl}/a.gif?url=`);
  return (
    '(function(){var d=document,i=new Image,e=encodeURIComponent;' +
    `i.src=${prefix}+e(d.location.href)+'&ref='+e(d.referrer)+'&t='+e(d.title);})()`
  );
}

/** Parses `url=…&t=…&ref=…` strictly: bad escapes or bad UTF-8 are a 400, not a U+FFFD. */
export function parseQuery(query: string): Map<string, string> {
  if (query.length > LIMITS.queryStringBytes) throw footfallError('FOOTFALL_ERR_QUERY_TOO_LONG');
  const params = new Map<string, string>();
  if (query === '') return params;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (key === '' || params.has(key)) continue;
    params.set(decodeComponent(key, 'query'), eq === -1 ? '' : decodeComponent(pair.slice(eq + 1), key));
  }
  return params;
}

/** A beacon hit (`url`, `t` title, `ref` referrer) → a page view. */
export function fromBeacon(query: string): RawEvent {
  const q = parseQuery(query);
  const url = parseTrackedUrl(q.get('url'));
  return pageviewEvent(url, [url.hostname], q.get('ref') ?? '', q.get('t') ?? '');
}
