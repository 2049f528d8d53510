// `footfall query`: the stats query model from the command line — flags or a JSON file in,
// an aligned table, JSON or CSV out. Also journeys (--journeys) and realtime (--realtime).
import { type Command, Option } from 'commander';
import type { QueryResult } from '../query/model.js';
import { CLICKHOUSE_HELP, dataDir } from './data-dir.js';
import { journeyBodyFromFlags, type QueryFlags, queryBodyFromFlags } from './query-flags.js';
import { readQueryFile, runEndpoint } from './query-target.js';
import { formatCsv, formatTable, printable } from './table.js';
import { hourBlockText, localTime } from './time-text.js';

interface Options extends QueryFlags {
  file?: string;
  json?: boolean;
  csv?: boolean;
  journeys?: boolean;
  realtime?: boolean;
  url?: string;
  key?: string;
  data?: string;
  clickhouseUrl?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('ask the stats: the same query model as POST /api/v2/query')
    .option('--site <domain>', 'the site to ask about')
    .option(
      '--metrics <list>',
      'comma-separated: visitors, visits, pageviews, views_per_visit, bounce_rate, visit_duration, events, percentage, scroll_depth, time_on_page, conversion_rate, group_conversion_rate (these two with event:goal)',
      'visitors',
    )
    .option(
      '--dimensions <list>',
      'comma-separated, e.g. event:page or visit:country,visit:device or time:day',
    )
    .option(
      '--range <range>',
      'day, 7d, 28d, 30d, 91d, month, 6mo, 12mo, year, all, or from,to (YYYY-MM-DD)',
      '30d',
    )
    .option(
      '--filter <filter>',
      '"<dimension> <is|is_not|contains|contains_not|matches|matches_not> <value>[|<value>…]" (repeatable)',
      collect,
    )
    .option('--order <by>', '<metric or dimension>:asc|desc (repeatable)', collect)
    .option('--limit <n>', 'rows to show')
    .option('--offset <n>', 'rows to skip')
    .option('--compare <mode>', 'previous_period or year_over_year')
    .option('--imports', 'merge data imported from Plausible in (include.imports)')
    .option(
      '--file <query.json>',
      'read the whole query from a JSON file (as the API takes it); other query flags are ignored',
    )
    // Flags that would be silently ignored together are refused together instead.
    .addOption(
      new Option(
        '--journeys',
        'the most common page sequences and sample visits instead (with --steps 2–5)',
      ).conflicts(['dimensions', 'compare', 'imports', 'order', 'metrics', 'file']),
    )
    .option('--steps <n>', 'pages in a journey (with --journeys)')
    .addOption(
      new Option(
        '--realtime',
        'current visitors (the last 5 minutes), and the pages and sources of the last 30',
      ).conflicts(['range', 'journeys', 'dimensions', 'compare', 'filter', 'order', 'metrics', 'file']),
    )
    .addOption(new Option('--json', 'print the API response as JSON').conflicts('csv'))
    .option('--csv', 'print CSV')
    .option('--url <url>', "ask a server's HTTP API instead of the data directory (env FOOTFALL_URL)")
    .option('--key <key>', 'API key for --url (env FOOTFALL_KEY)')
    .option(
      '--data <dir>',
      'data directory (env FOOTFALL_DATA, default ./data); through the running server when one holds it',
    )
    .option('--clickhouse-url <url>', CLICKHOUSE_HELP)
    .addHelpText(
      'after',
      `
Examples:
  footfall query --site example.com --metrics pageviews --range 7d
  footfall query --site example.com --metrics visitors,bounce_rate --dimensions visit:source --limit 10
  footfall query --site example.com --dimensions event:page --filter 'visit:country is DE' --compare previous_period
  footfall query --site example.com --journeys --steps 3`,
    )
    .action(async (opts: Options) => {
      const target = {
        url: opts.url ?? (process.env.FOOTFALL_URL || undefined),
        key: opts.key ?? (process.env.FOOTFALL_KEY || undefined),
        dataDir: dataDir(opts),
        clickhouseUrl: opts.clickhouseUrl,
      };
      if (opts.realtime) {
        const body = { site_id: opts.site };
        const res = (await runEndpoint(target, 'realtime', body)) as {
          visitors: number;
          pages: { page: string; visitors: number }[];
          sources?: { source: string; visitors: number }[];
        };
        if (opts.json) return void console.log(JSON.stringify(res, null, 2));
        console.log(`${res.visitors} current visitors`);
        for (const [title, rows] of [
          ['page', res.pages.map((p) => [printable(p.page), String(p.visitors)])],
          ['source', (res.sources ?? []).map((s) => [printable(s.source), String(s.visitors)])],
        ] as const) {
          if (rows.length === 0) continue;
          const header = [title, 'visitors (last 30 minutes)'];
          const table = opts.csv ? formatCsv(header, [...rows]) : formatTable(header, [...rows]);
          console.log(`\n${table}`);
        }
        return;
      }
      if (opts.journeys) {
        const res = (await runEndpoint(target, 'journeys', journeyBodyFromFlags(opts))) as {
          journeys: { pages: string[]; visits: number }[];
          samples: { start: string; pages: string[] }[];
          timezone: string;
        };
        if (opts.json) return void console.log(JSON.stringify(res, null, 2));
        const rows = res.journeys.map((j) => [j.pages.map(printable).join(' → '), String(j.visits)]);
        console.log(
          opts.csv ? formatCsv(['journey', 'visits'], rows) : formatTable(['journey', 'visits'], rows),
        );
        if (!opts.csv && res.samples.length) {
          console.log(`\nlatest visits, page by page (times in ${res.timezone}):`);
          for (const s of res.samples) {
            console.log(`${localTime(s.start, res.timezone)}  ${s.pages.map(printable).join(' → ')}`);
          }
        }
        return;
      }
      const body = opts.file ? readQueryFile(opts.file) : queryBodyFromFlags(opts);
      const res = (await runEndpoint(target, 'query', body)) as QueryResult;
      if (opts.json) return void console.log(JSON.stringify(res, null, 2));
      const q = res.query as { dimensions: string[]; metrics: string[] };
      const comparing = res.results.some((r) => r.comparison);
      const header = [
        ...q.dimensions,
        ...q.metrics,
        ...(comparing ? q.metrics.map((m) => `${m} change`) : []),
      ];
      // A table is read by a person: an hour block as the hours it covers (CSV keeps the number).
      const cell = (d: string | number, i: number) =>
        !opts.csv && q.dimensions[i] === 'time:hour_block' ? hourBlockText(Number(d)) : printable(String(d));
      const rows = res.results.map((r) => [
        ...r.dimensions.map(cell),
        // Revenue in its currency: written out in a table, amount and code in CSV.
        ...r.metrics.map((m) =>
          m === null
            ? ''
            : typeof m === 'object'
              ? opts.csv
                ? `${m.value} ${m.currency}`
                : m.long
              : String(m),
        ),
        // Bounce and conversion rates change in percentage points, the other metrics in percent.
        ...(comparing
          ? (r.comparison?.change ?? []).map((c, i) =>
              c === null
                ? ''
                : `${c}${['bounce_rate', 'conversion_rate'].includes(q.metrics[i]!) ? ' pts' : '%'}`,
            )
          : []),
      ]);
      console.log(opts.csv ? formatCsv(header, rows) : formatTable(header, rows));
    });
}
