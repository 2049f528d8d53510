// `footfall funnel add|list|remove`: a site's saved funnels, through the running server's
// control socket when one holds the data directory, else on the DuckDB file directly (as
// `footfall goal`). The checks are the API's (src/goals/manage-funnels.ts).
import type { Command } from 'commander';
import type { FunnelView } from '../goals/funnel-view.js';
import { addFunnel, listFunnels, removeFunnel } from '../goals/manage-funnels.js';
import { ConfigError } from '../server/config.js';
import { DATA_HELP, dataDir } from './data-dir.js';
import { type ResourceAdmin, withResourceAdmin } from './site-resource.js';

/** The site's funnels, through the running server or on the data directory. */
const withFunnelAdmin = <T>(dir: string, fn: (admin: ResourceAdmin<FunnelView>) => Promise<T>) =>
  withResourceAdmin<FunnelView, T>(
    dir,
    { resource: 'funnels', one: 'funnel' },
    (store) => ({
      list: (domain) => listFunnels(store, domain),
      add: (domain, fields) => addFunnel(store, domain, fields, Date.now()),
      remove: (domain, id) => removeFunnel(store, domain, id),
    }),
    fn,
  );

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** One line per funnel: its steps in order. */
function describeFunnel(f: FunnelView): string {
  return `${String(f.id).padStart(4)}  ${f.name}  (${f.type}: ${f.steps.map((s) => s.name).join(' → ')})`;
}

export function registerFunnel(program: Command): void {
  const funnel = program.command('funnel').description("add, list and remove a site's funnels of goals");

  funnel
    .command('add <domain>')
    .description("save a funnel of 2 to 8 of the site's goals, in order")
    .requiredOption('--name <name>', "the funnel's name, unique per site")
    .option('--step <goal>', 'a goal name (or id), once per step, in order', collect)
    .option('--type <type>', 'sequential (default), strict or flexible')
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(
      async (
        domain: string,
        opts: { name: string; step?: string[]; type?: string; json?: boolean; data?: string },
      ) => {
        const fields = { name: opts.name, type: opts.type, steps: opts.step ?? [] };
        const added = await withFunnelAdmin(dataDir(opts), (admin) => admin.add(domain, fields));
        console.log(opts.json ? JSON.stringify(added) : `added funnel${describeFunnel(added)}`);
      },
    );

  funnel
    .command('list <domain>')
    .description("list a site's funnels")
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { json?: boolean; data?: string }) => {
      const funnels = await withFunnelAdmin(dataDir(opts), (admin) => admin.list(domain));
      if (opts.json) console.log(JSON.stringify(funnels));
      else if (funnels.length === 0)
        console.log(
          `no funnels for ${domain} yet — add one with: footfall funnel add ${domain} --name … --step … --step …`,
        );
      else for (const f of funnels) console.log(describeFunnel(f));
    });

  funnel
    .command('remove <domain> <id>')
    .description('remove a funnel (by the id `funnel list` shows); its goals stay')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, id: string, opts: { data?: string }) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n < 1)
        throw new ConfigError('the funnel id is a number from `footfall funnel list`');
      await withFunnelAdmin(dataDir(opts), (admin) => admin.remove(domain, n));
      console.log(`removed funnel ${n} of ${domain}`);
    });
}
