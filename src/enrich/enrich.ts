// Turns a validated RawEvent from a known site into the row the store keeps, or into a
// reason not to keep it. The request's IP and user agent are read here and not passed on.
import type { ClientInfo, RawEvent } from '../collect/raw-event.js';
import type { DropReason } from '../ops/metrics.js';
import type { EventRow } from '../store/event-row.js';
import type { Site } from '../store/types.js';
import { primaryLanguage } from './language.js';
import { parseReferrer } from './referrer.js';

export type Enriched = { row: EventRow } | { drop: DropReason };

export interface Enricher {
  enrich(raw: RawEvent, client: ClientInfo, site: Site, now: number): Enriched;
}

export function createEnricher(): Enricher {
  return {
    enrich(raw, client, site, now) {
      const ref = parseReferrer(raw.referrer);
      return {
        row: {
          siteId: site.id,
          ts: now,
          name: raw.name,
          hostname: raw.url.hostname,
          pathname: raw.url.pathname,
          title: raw.title,
          referrer: ref.url,
          referrerHost: ref.host,
          utmSource: raw.url.utmSource,
          utmMedium: raw.url.utmMedium,
          utmCampaign: raw.url.utmCampaign,
          utmTerm: raw.url.utmTerm,
          utmContent: raw.url.utmContent,
          props: raw.props,
          interactive: raw.interactive,
          visitorId: 0n,
          sessionId: 0n,
          browser: '',
          browserVersion: '',
          os: '',
          osVersion: '',
          device: '',
          screen: '',
          language: primaryLanguage(raw.language, client.acceptLanguage),
          country: '',
          region: '',
          city: '',
          source: '',
          channel: '',
          scrollDepth: raw.scrollDepth,
          engagementMs: raw.engagementMs,
        },
      };
    },
  };
}
