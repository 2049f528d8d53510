// `footfall import plausible <export.zip>`: Plausible's CSV export kept as imported daily
// aggregates (plausible-tables.ts), merged into answers only when a query asks with
// `include: {imports: true}` (query/imported.ts). One import is one transaction with one id:
// all of its rows are stored or none, and `footfall import remove <id>` takes them away again.
//
// As Plausible does, days on or after the site's first stored event are left out: from that
// day Footfall counts the site itself, and adding an export's days to its own would count
// them twice.
import { channelOf } from '../enrich/channel.js';
import { DIRECT_SOURCE } from '../enrich/source.js';
import { localDate } from '../query/zoned-time.js';
import { ConfigError } from '../server/config.js';
import type { AggregateImport, ImportedStore } from '../store/imported.js';
import type { Site } from '../store/types.js';
import type { PlausibleExport } from './plausible-export.js';
import type { ImportedRow, PlausibleTableName } from './plausible-tables.js';

const PLAUSIBLE_KIND = 'plausible';

export interface PlausibleImportOptions {
  site: Site;
  /** Import a file that was imported into the site before. */
  again?: boolean;
  /** When the site's first stored event happened (UTC ms), if it has any. */
  firstEventMs: number | undefined;
}

export interface PlausibleImportSummary {
  record: AggregateImport;
  /** Rows per table stored. */
  stored: Partial<Record<PlausibleTableName, number>>;
  /** Rows left out because their day is one Footfall counted itself. */
  overlapping: number;
}

export async function importPlausible(
  store: ImportedStore,
  exp: PlausibleExport,
  options: PlausibleImportOptions,
): Promise<PlausibleImportSummary> {
  const { site } = options;
  const earlier = (await store.listImports(site.id)).find(
    (i) => i.kind === PLAUSIBLE_KIND && i.sha256 === exp.sha256,
  );
  if (earlier && !options.again) {
    throw new ConfigError(
      `${exp.file} was imported into ${site.domain} already (import ${earlier.id}, ${earlier.createdAt}); ` +
        `remove it with \`footfall import remove ${earlier.id}\` or add --again to import it twice`,
    );
  }
  const cutoff =
    options.firstEventMs === undefined ? undefined : localDate(options.firstEventMs, site.timezone);
  let overlapping = 0;
  const tables = new Map<PlausibleTableName, ImportedRow[]>();
  const stored: PlausibleImportSummary['stored'] = {};
  for (const [table, rows] of exp.tables) {
    const kept = rows.filter((r) => cutoff === undefined || (r.date as string) < cutoff);
    overlapping += rows.length - kept.length;
    tables.set(table, table === 'imported_sources' ? kept.map(withChannel(site.domain)) : kept);
    stored[table] = kept.length;
  }
  const record = await store.addImport({
    siteId: site.id,
    kind: PLAUSIBLE_KIND,
    file: exp.file,
    sha256: exp.sha256,
    tables,
  });
  return { record, stored, overlapping };
}

/**
 * A sources row with the channel Footfall's rules give its source and UTM tags (channel.ts),
 * so `visit:channel` reads imported rows too. The export keeps the referrer's URL, not its
 * host; without one, the source name stands in for it (a named source is a referral).
 */
function withChannel(domain: string): (r: ImportedRow) => ImportedRow {
  return (r) => {
    const source = String(r.source) === '' ? DIRECT_SOURCE : String(r.source);
    const referrerHost = hostOf(String(r.referrer ?? ''));
    const channel = channelOf({
      source,
      referrerHost: referrerHost || (source !== DIRECT_SOURCE ? source : ''),
      utmSource: String(r.utm_source ?? ''),
      utmMedium: String(r.utm_medium ?? ''),
      utmCampaign: String(r.utm_campaign ?? ''),
      siteDomain: domain,
    });
    return { ...r, channel };
  };
}

function hostOf(referrer: string): string {
  if (referrer === '') return '';
  try {
    return new URL(/^[a-z]+:\/\//i.test(referrer) ? referrer : `https://${referrer}`).hostname;
  } catch {
    return '';
  }
}
