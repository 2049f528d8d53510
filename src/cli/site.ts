// `footfall site add|list|remove`.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { withSiteAdmin } from './site-admin.js';

const DATA_HELP = 'data directory (env FOOTFALL_DATA, default ./data)';

function dataDir(opts: { data?: string }): string {
  return opts.data ?? (process.env.FOOTFALL_DATA || './data');
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerSite(program: Command): void {
  const site = program.command('site').description('add, list and remove tracked sites');

  site
    .command('add <domain>')
    .description('start tracking a site (events for unknown hostnames are not stored)')
    .option('--timezone <zone>', 'IANA time zone the reports use, e.g. Europe/Berlin', 'UTC')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { timezone: string; data?: string }) => {
      const added = await withSiteAdmin(dataDir(opts), (admin) => admin.add(domain, opts.timezone));
      console.log(`added ${added.domain} (time zone ${added.timezone})`);
    });

  site
    .command('list')
    .description('list tracked sites')
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { json?: boolean; data?: string }) => {
      const sites = await withSiteAdmin(dataDir(opts), (admin) => admin.list());
      if (opts.json) {
        console.log(JSON.stringify(sites.map(({ domain, timezone }) => ({ domain, timezone }))));
        return;
      }
      if (sites.length === 0) {
        console.log('no sites yet — add one with: footfall site add example.com');
        return;
      }
      const width = Math.max(6, ...sites.map((s) => s.domain.length));
      console.log(`${'DOMAIN'.padEnd(width)}  TIMEZONE`);
      for (const s of sites) console.log(`${s.domain.padEnd(width)}  ${s.timezone}`);
    });

  site
    .command('remove <domain>')
    .description('stop tracking a site and delete all its events')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { yes?: boolean; data?: string }) => {
      if (!opts.yes) {
        if (!process.stdin.isTTY) {
          throw new Error(`refusing to remove ${domain} without confirmation: add --yes`);
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
