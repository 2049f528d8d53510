// Turns a validated RawEvent from a known site into the row the store keeps, or into a
// reason not to keep it. The request's IP and user agent are used here — for the bot
// check, the visitor hash and the location — and go no further.
import type { ClientInfo, RawEvent } from '../collect/raw-event.js';
import type { DropReason } from '../ops/metrics.js';
import type { EventRow } from '../store/event-row.js';
import type { Site } from '../store/types.js';
import { isBotRequest } from './bots.js';
import { channelOf } from './channel.js';
import type { GeoLookup } from './geo.js';
import { primaryLanguage } from './language.js';
import { parseReferrer } from './referrer.js';
import { isReferrerSpam } from './referrer-spam.js';
import type { SaltKeeper } from './salts.js';
import { screenClass } from './screen.js';
import { identifyVisit, type SessionTracker } from './sessions.js';
import { sourceOf } from './source.js';
import type { UserAgentInfo } from './user-agent.js';
import type { VisitorIdFn } from './visitor-id.js';

export type Enriched = { row: EventRow } | { drop: DropReason };

export interface Enricher {
  enrich(raw: RawEvent, client: ClientInfo, site: Site, now: number): Enriched;
}

export interface EnrichDeps {
  parseUserAgent: (ua: string) => UserAgentInfo;
  geo: GeoLookup;
  salts: SaltKeeper;
  sessions: SessionTracker;
  /** Addresses whose events are not stored (--exclude-ip); undefined when none. */
  isExcludedIp?: (ip: string) => boolean;
  /** The bot check (default isBotRequest); an import of logs without user agents relaxes it. */
  isBot?: (userAgent: string) => boolean;
  /** The visitor hash (default visitorId; an import caches it: cachedVisitorIds). */
  visitorId?: VisitorIdFn;
}

export function createEnricher(deps: EnrichDeps): Enricher {
  const { parseUserAgent, geo, salts, sessions, isExcludedIp } = deps;
  const isBot = deps.isBot ?? isBotRequest;
  return {
    enrich(raw, client, site, now) {
      if (isBot(client.userAgent)) return { drop: 'bot' };
      if (isExcludedIp?.(client.ip)) return { drop: 'excluded_ip' };
      const ref = parseReferrer(raw.referrer);
      if (ref.host !== '' && isReferrerSpam(ref.host)) return { drop: 'referrer_spam' };

      const url = raw.url;
      const source =
        client.known?.source ||
        sourceOf({ referrerHost: ref.host, utmSource: url.utmSource, siteDomain: site.domain });
      const channel = channelOf({
        source,
        referrerHost: ref.host,
        utmSource: url.utmSource,
        utmMedium: url.utmMedium,
        utmCampaign: url.utmCampaign,
        siteDomain: site.domain,
      });
      const visit = identifyVisit(
        sessions,
        salts.saltsFor(now),
        site.id,
        client.ip,
        client.userAgent,
        now,
        {
          referrer: ref.url,
          referrerHost: ref.host,
          source,
          channel,
          utmSource: url.utmSource,
          utmMedium: url.utmMedium,
          utmCampaign: url.utmCampaign,
          utmTerm: url.utmTerm,
          utmContent: url.utmContent,
        },
        deps.visitorId,
      );
      const origin = visit.origin;
      const ua = client.known ?? parseUserAgent(client.userAgent);
      const place = client.known ?? client.place ?? geo.lookup(client.ip);
      return {
        row: {
          siteId: site.id,
          ts: now,
          name: raw.name,
          hostname: url.hostname,
          pathname: url.pathname,
          title: raw.title,
          referrer: origin.referrer,
          referrerHost: origin.referrerHost,
          utmSource: origin.utmSource,
          utmMedium: origin.utmMedium,
          utmCampaign: origin.utmCampaign,
          utmTerm: origin.utmTerm,
          utmContent: origin.utmContent,
          props: raw.props,
          interactive: raw.interactive,
          visitorId: visit.visitorId,
          sessionId: visit.sessionId,
          browser: ua.browser,
          browserVersion: ua.browserVersion,
          os: ua.os,
          osVersion: ua.osVersion,
          device: ua.device,
          screen: screenClass(raw.screenWidth),
          language: primaryLanguage(raw.language, client.acceptLanguage),
          country: place.country,
          region: place.region,
          city: place.city,
          source: origin.source,
          channel: origin.channel,
          scrollDepth: raw.scrollDepth,
          engagementMs: raw.engagementMs,
          revenueAmount: raw.revenue?.amount ?? null,
          revenueCurrency: raw.revenue?.currency ?? null,
        },
      };
    },
  };
}
