// Referrer spam: fake hits sent only to get a domain into someone's referrer report; enrichment
// drops them before they count. The list is data (./data/referrer-spam.json, its provenance noted there).
import data from './data/referrer-spam.json' with { type: 'json' };

const SPAM: ReadonlySet<string> = new Set(data.domains.map((d) => d.toLowerCase()));

/** True when the host or any parent domain of it is a known referrer spammer. */
export function isReferrerSpam(referrerHost: string): boolean {
  let host = referrerHost.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return false;
  // One Set lookup per suffix: semalt.semalt.com, then semalt.com, then com.
  for (let at = 0; at !== -1; ) {
    if (SPAM.has(at === 0 ? host : host.slice(at))) return true;
    const dot = host.indexOf('.', at);
    at = dot === -1 ? -1 : dot + 1;
  }
  return false;
}
