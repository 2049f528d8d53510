// `footfall goal add|list|remove`: a site's goals, through the running server's control socket
// when one holds the data directory, else on the DuckDB file directly (as `footfall site`).
import { type Command, InvalidArgumentError } from 'commander';
import type { GoalView } from '../goals/goal-view.js';
import { addGoal, listGoals, removeGoal } from '../goals/manage.js';
import { ConfigError } from '../server/config.js';
import { DATA_HELP, dataDir } from './data-dir.js';
import { type ResourceAdmin, withResourceAdmin } from './site-resource.js';

/** The site's goals, through the running server or on the data directory. */
const withGoalAdmin = <T>(dir: string, fn: (admin: ResourceAdmin<GoalView>) => Promise<T>) =>
  withResourceAdmin<GoalView, T>(
    dir,
    { resource: 'goals', one: 'goal' },
    (store) => ({
      list: (domain) => listGoals(store, domain),
      add: (domain, fields) => addGoal(store, domain, fields, Date.now()),
      remove: (domain, id) => removeGoal(store, domain, id),
    }),
    fn,
  );

/** `--prop key=value`, repeatable. */
function collectProp(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('give --prop as key=value, e.g. --prop plan=pro');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function scrollThreshold(value: string): number {
  const n = Number(value);
  // Anything else reaches the goal checks, which name the rule.
  return Number.isFinite(n) && value.trim() !== '' ? n : Number.NaN;
}

/** One line per goal: what converts it. */
export function describeGoal(g: GoalView): string {
  const what =
    g.kind === 'event'
      ? `event ${g.event}`
      : g.kind === 'scroll'
        ? `scroll ≥ ${g.scroll}% on ${g.page}`
        : `page ${g.page}`;
  const props = Object.entries(g.props)
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  const revenue = g.currency ? `, revenue in ${g.currency}` : '';
  return `${String(g.id).padStart(4)}  ${g.name}  (${what}${props ? `, props${props}` : ''}${revenue})`;
}

export function registerGoal(program: Command): void {
  const goal = program.command('goal').description("add, list and remove a site's goals (conversions)");

  goal
    .command('add <domain>')
    .description('add a goal: a page (with * wildcards), a custom event, or a scroll depth on a page')
    .option('--page <path>', "a page path, * for any characters, e.g. '/signup*'")
    .option('--event <name>', 'a custom event name, e.g. Signup')
    .option('--scroll <percent>', 'with --page: a scroll depth from 1 to 100', scrollThreshold)
    .option('--prop <key=value>', 'a property value the event must carry (up to 3)', collectProp)
    .option(
      '--currency <code>',
      'with --event: a revenue goal summing purchases in this ISO 4217 currency, e.g. EUR',
    )
    .option(
      '--name <name>',
      'display name (default "Visit <page>", the event name, or "Scroll N% on <page>")',
    )
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(
      async (
        domain: string,
        opts: {
          page?: string;
          event?: string;
          scroll?: number;
          prop?: Record<string, string>;
          name?: string;
          currency?: string;
          json?: boolean;
          data?: string;
        },
      ) => {
        const fields = {
          page: opts.page,
          event: opts.event,
          scroll: opts.scroll,
          props: opts.prop,
          name: opts.name,
          currency: opts.currency,
        };
        const added = await withGoalAdmin(dataDir(opts), (admin) => admin.add(domain, fields));
        console.log(opts.json ? JSON.stringify(added) : `added goal${describeGoal(added)}`);
      },
    );

  goal
    .command('list <domain>')
    .description("list a site's goals")
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, opts: { json?: boolean; data?: string }) => {
      const goals = await withGoalAdmin(dataDir(opts), (admin) => admin.list(domain));
      if (opts.json) console.log(JSON.stringify(goals));
      else if (goals.length === 0)
        console.log(`no goals for ${domain} yet — add one with: footfall goal add ${domain} --event Signup`);
      else for (const g of goals) console.log(describeGoal(g));
    });

  goal
    .command('remove <domain> <id>')
    .description('remove a goal (by the id `goal list` shows); its events stay')
    .option('--data <dir>', DATA_HELP)
    .action(async (domain: string, id: string, opts: { data?: string }) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n < 1)
        throw new ConfigError('the goal id is a number from `footfall goal list`');
      await withGoalAdmin(dataDir(opts), (admin) => admin.remove(domain, n));
      console.log(`removed goal ${n} of ${domain}`);
    });
}
