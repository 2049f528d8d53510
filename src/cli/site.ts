// `footfall site add|list|remove`.
import type { Command } from 'commander';
import { ConfigError, resolveServeConfig } from '../server/config.js';
import { snippetFor } from '../sites/snippet.js';
import { confirm, DATA_HELP, dataDir } from './data-dir.js';
import { withSiteAdmin } from './site-admin.js';

export function registerSite(program: Command): void {
  const site = program.command('site').description('add, list and remove tracked sites');

  site
    .command('add <domain>')
    .description('start tracking a site (events for unknown hostnames are not stored)')
    .option('--timezone <zone>', 'IANA time zone the reports use, e.g. Europe/Berlin', 'UTC')
    .option('--umami-id <uuid>', "also accept Umami's clients sending this website id to /api/send")
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { timezone: string; umamiId?: string; data?: string }) => {
      const added = await withSiteAdmin(dataDir(opts), (admin) =>
        admin.add(domain, opts.timezone, opts.umamiId),
      );
      const umami = added.umamiId ? `, Umami id ${added.umamiId}` : '';
      console.log(`added ${added.domain} (time zone ${added.timezone}${umami})`);
      // The site's own snippet, with the server's public URL as `serve` would use it.
      const { publicUrl } = resolveServeConfig({ dataDir: dataDir(opts) }, process.env);
      console.log(`paste into every page of ${added.domain}:\n${snippetFor(added.domain, publicUrl)}`);
    });

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
