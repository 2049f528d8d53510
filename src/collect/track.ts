// One validated event → the store: find its site, enrich it, hand it to the writer and wait
// for the commit. Events for unknown sites and dropped events resolve normally — a tracked
// page must never see an error because of them — and are counted. A list of domains that
// name one site (`example.com,www.example.com,EXAMPLE.COM.`) stores one event for it.
import type { Enricher } from '../enrich/enrich.js';
import type { Metrics } from '../ops/metrics.js';
import type { SiteDirectory } from '../sites/directory.js';
import type { EventRow } from '../store/event-row.js';
import type { ClientInfo, RawEvent } from './raw-event.js';

export interface EventSink {
  write(row: EventRow): Promise<void>;
}

export interface TrackDeps {
  sites: SiteDirectory;
  enricher: Enricher;
  sink: EventSink;
  metrics: Metrics;
  now: () => number;
}

export type Track = (raw: RawEvent, client: ClientInfo) => Promise<void>;

export function createTrack({ sites, enricher, sink, metrics, now }: TrackDeps): Track {
  return async (raw, client) => {
    const writes: Promise<void>[] = [];
    // De-duplicated after lookup, i.e. after the same normalisation the directory applies.
    const seen = raw.domains.length > 1 ? new Set<number>() : undefined;
    for (const domain of raw.domains) {
      const site = sites.lookup(domain);
      if (!site) {
        metrics.dropped('unknown_site');
        continue;
      }
      if (seen) {
        if (seen.has(site.id)) continue;
        seen.add(site.id);
      }
      const result = enricher.enrich(raw, client, site, now());
      if ('drop' in result) metrics.dropped(result.drop);
      else writes.push(sink.write(result.row));
    }
    if (writes.length === 1) await writes[0];
    else if (writes.length > 1) await Promise.all(writes);
  };
}
