// `footfall journal replay <dir>`: a dead node's journal into ClickHouse (journal-replay.ts).
import type { Command } from 'commander';
import { ConfigError } from '../server/config.js';
import { parseClickHouseUrl } from '../store/clickhouse/url.js';
import { EngineConfigError } from '../store/engine-config-error.js';
import { parsePostgresUrl } from '../store/postgres/url.js';
import { replayJournal } from './journal-replay.js';
import { progressBar } from './progress.js';

export function registerJournal(program: Command): void {
  const group = program.command('journal').description("a node's ingest journal");
  group
    .command('replay')
    .description("load a stopped node's journal (segments past its load mark) into ClickHouse, exactly once")
    .argument('<dir>', "the node's data directory (its --data), e.g. copied or mounted from the dead machine")
    .requiredOption(
      '--clickhouse-url <url>',
      'the ClickHouse the node wrote to: http(s)://user:pass@host:8123/db (env FOOTFALL_CLICKHOUSE_URL)',
      process.env.FOOTFALL_CLICKHOUSE_URL,
    )
    .option(
      '--database-url <url>',
      'the PostgreSQL the node kept its sites in, when it had one: postgres://user:pass@host:5432/db (env FOOTFALL_DATABASE_URL)',
      process.env.FOOTFALL_DATABASE_URL,
    )
    .addHelpText(
      'after',
      `
Each segment is inserted with its deduplication token and then recorded in the directory's
own load mark: running the command twice, or starting a node on the directory afterwards,
loads nothing twice. Replay soon after the node died: ClickHouse remembers the tokens of the
last 10,000 inserts into the events table (all nodes' loads together), and only within them
is the segment the node was inserting when it died recognised as a repeat.
Example:
  footfall journal replay /mnt/node2/data --clickhouse-url http://footfall:secret@ch:8123/footfall \\
    --database-url postgres://footfall:secret@pg:5432/footfall`,
    )
    .action(async (dir: string, opts: { clickhouseUrl: string; databaseUrl?: string }) => {
      let target: ReturnType<typeof parseClickHouseUrl>;
      try {
        // Checked before anything is opened: a typo is one line naming the setting.
        target = parseClickHouseUrl(opts.clickhouseUrl);
        if (opts.databaseUrl) parsePostgresUrl(opts.databaseUrl);
      } catch (err) {
        if (err instanceof EngineConfigError) throw new ConfigError(err.message);
        throw err;
      }
      const result = await replayJournal(
        dir,
        { clickhouseUrl: opts.clickhouseUrl, databaseUrl: opts.databaseUrl || undefined },
        progressBar(),
      );
      if (result.segments === 0) {
        console.log(
          `nothing to replay: every segment of ${dir}/journal is loaded already` +
            (result.mark !== undefined ? ` (its mark: segment ${result.mark})` : ''),
        );
        return;
      }
      console.log(
        `replayed ${result.segments} segment(s) of ${dir}/journal into ${target.shown}: ` +
          `${result.stored} of ${result.events} events stored (or found there already)` +
          (result.quarantined > 0 ? `, ${result.quarantined} damaged line(s) quarantined` : '') +
          (result.events - result.quarantined > result.stored ? '; the rest belonged to removed sites' : '') +
          `; the directory's mark is now segment ${result.mark}, so nothing loads twice`,
      );
    });
}
