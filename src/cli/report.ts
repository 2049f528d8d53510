// `footfall report send <domain> --to … --period week|month`: the running server sends the
// report of the latest finished week or month now, with its own mail settings and numbers
// (through the control socket), as "Send now" in the site's settings does.
import type { Command } from 'commander';
import { normalizeEmail } from '../auth/users.js';
import { ConfigError } from '../server/config.js';
import { controlRequest } from './control-client.js';
import { DATA_HELP, dataDir } from './data-dir.js';
import { unwrap } from './user-error.js';

export function registerReport(program: Command): void {
  const report = program.command('report').description('email reports of a site');
  report
    .command('send <domain>')
    .description('send the report of the last finished week or month now (through the running server)')
    .requiredOption('--to <email>', 'who gets it')
    .option('--period <period>', 'week (Monday to Sunday) or month', 'week')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { to: string; period: string; data?: string }) => {
      if (opts.period !== 'week' && opts.period !== 'month') {
        throw new ConfigError(`--period "${opts.period}": give week or month`);
      }
      const to = normalizeEmail(opts.to);
      const res = await controlRequest(dataDir(opts), 'POST', `/reports/${encodeURIComponent(domain)}/send`, {
        to,
        period: opts.period,
      });
      if (!res) {
        throw new ConfigError(
          'no server is running on this data directory: reports are sent by `footfall serve`, with its --smtp-url and --mail-from',
        );
      }
      const sent = unwrap(res) as { from: string; to: string };
      console.log(
        `sent the ${opts.period === 'week' ? 'weekly' : 'monthly'} report of ${domain} for ${sent.from} to ${sent.to} to ${to}`,
      );
    });
}
