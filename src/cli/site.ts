// `footfall site add|list|remove`.
import type { Command } from 'commander';
import { parseRetention, retentionText } from '../jobs/retention.js';
import { ConfigError } from '../server/config.js';
import { publicUrlFromEnv, snippetFor } from '../sites/snippet.js';
import { confirm, DATA_HELP, dataDir } from './data-dir.js';
import { withSiteAdmin } from './site-admin.js';

export function registerSite(program: Command): void {
  const site = program.command('site').description('add, list and remove tracked sites');

  site
    .command('add <domain>')
    .description('start tracking a site (events for unknown hostnames are not stored)')
    .option('--timezone <zone>', 'IANA time zone the reports use, e.g. Europe/Berlin', 'UTC')
    .option('--umami-id <uuid>', "also accept Umami's clients sending this website id to /api/send")
    .option('--public-url <url>', 'the server URL the snippet points at (env FOOTFALL_PUBLIC_URL)')
    .option('--data <dir>', DATA_HELP)
    .action(
      async (
        domain: string,
        opts: { timezone: string; umamiId?: string; publicUrl?: string; data?: string },
      ) => {
        const added = await withSiteAdmin(
          dataDir(opts),
          (admin) => admin.add(domain, opts.timezone, opts.umamiId),
          { create: true },
        );
        const umami = added.umamiId ? `, Umami id ${added.umamiId}` : '';
        console.log(`added ${added.domain} (time zone ${added.timezone}${umami}); paste into its pages:`);
        console.log(snippetFor(added.domain, opts.publicUrl ?? publicUrlFromEnv(process.env)));
      },
    );

  site
    .command('list')
    .description('list tracked sites')
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { json?: boolean; data?: string }) => {
      const sites = await withSiteAdmin(dataDir(opts), (admin) => admin.list());
      if (opts.json) {
        console.log(
          JSON.stringify(
            sites.map(({ domain, timezone, umamiId }) => ({
              domain,
              timezone,
              ...(umamiId ? { umamiId } : {}),
            })),
          ),
        );
        return;
      }
      if (sites.length === 0) {
        console.log('no sites yet — add one with: footfall site add example.com');
        return;
      }
      const width = Math.max(6, ...sites.map((s) => s.domain.length));
      const zoneWidth = Math.max(8, ...sites.map((s) => s.timezone.length));
      const umami = sites.some((s) => s.umamiId);
      const row = (domain: string, zone: string, id: string) =>
        `${domain.padEnd(width)}  ${zone.padEnd(zoneWidth)}${umami ? `  ${id}` : ''}`.trimEnd();
      console.log(row('DOMAIN', 'TIMEZONE', 'UMAMI ID'));
      for (const s of sites) console.log(row(s.domain, s.timezone, s.umamiId ?? ''));
    });

  site
    .command('set <domain>')
    .description("change a site's settings")
    .requiredOption(
      '--retention <months>',
      'keep events this many months, e.g. 25m, or forever (the default)',
    )
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { retention: string; data?: string }) => {
      const months = parseRetention(opts.retention);
      await withSiteAdmin(dataDir(opts), (admin) => admin.setRetention(domain, months));
      console.log(
        months === null
          ? `${domain} keeps its events forever`
          : `${domain} keeps its events for ${retentionText(months)}: older ones are deleted each night at 01:00 UTC`,
      );
    });

  site
    .command('remove <domain>')
    .description('stop tracking a site and delete all its events')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { yes?: boolean; data?: string }) => {
      if (!opts.yes) {
        if (!process.stdin.isTTY) {
          throw new ConfigError(`refusing to remove ${domain} without confirmation: add --yes`);
        }
        if (!(await confirm(`Remove ${domain} and delete all its events? [y/N] `))) {
          console.log('nothing removed');
          return;
        }
      }
      await withSiteAdmin(dataDir(opts), (admin) => admin.remove(domain));
      console.log(`removed ${domain} and its events`);
    });
}
