// `footfall serve`: the options come from SETTINGS (flag ⇄ environment variable).
import { type Command, Option } from 'commander';
import { resolveServeConfig, SETTINGS, type ServeFlags } from '../server/config.js';
import { createLogger, formatLine } from '../server/log.js';
import { startServer } from '../server/serve.js';
import { snippetFor } from '../sites/snippet.js';
import { cliCommand, startLines } from './start-lines.js';

/** How long SIGTERM may take before the process exits anyway. */
export const SHUTDOWN_DEADLINE_MS = 4500;

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('start the tracking and API server (what `npm start` runs)')
    .addHelpText('after', '\nEach flag can also be set by the environment variable shown; the flag wins.');
  for (const s of SETTINGS) {
    cmd.addOption(
      new Option(
        s.switch ? s.flag : `${s.flag} <value>`,
        `${s.help} (env ${s.env}, default ${s.defaultText})`,
      ),
    );
  }
  cmd.action(async (opts: Record<string, string | undefined>) => {
    // Commander names options after their flag (--public-url → publicUrl); map them to settings.
    const flags: ServeFlags = {};
    for (const s of SETTINGS) {
      const attr = s.flag.slice(2).replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
      if (opts[attr] !== undefined) flags[s.key] = String(opts[attr]);
    }
    const config = resolveServeConfig(flags, process.env);
    const log = createLogger({ format: config.logFormat, level: config.logLevel });
    const command = cliCommand(process.env);
    const server = await startServer(config, { log, command });
    const firstSite = (await server.store.listSites())[0]?.domain;
    const snippet = snippetFor(firstSite ?? 'example.com', config.publicUrl);
    let stopping = false;
    const stop = (signal: string) => {
      // One line per stop, however often Ctrl-C is pressed (a terminal sends SIGINT to npm
      // and to this process alike).
      if (stopping) return;
      stopping = true;
      log(`${signal}: finishing accepted events, then exiting`);
      const deadline = setTimeout(() => {
        log('shutdown took too long; exiting', 'error');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // Without a handler SIGHUP would end the process. Logs go to stderr, so only the geo
    // database has anything to reload.
    process.on('SIGHUP', () => {
      server.reload().then(
        (source) => log(`SIGHUP: reloaded the geo database: ${source}`),
        (err: unknown) =>
          log(
            `SIGHUP: the geo database did not reload, the old one stays: ${err instanceof Error ? err.message : String(err)}`,
            'error',
          ),
      );
    });
    // Announced only once a signal would stop it cleanly: whoever waits for this line may
    // send SIGTERM at once.
    // Only an empty server needs to be told to add a site first.
    const lines = startLines({
      url: server.url,
      dataDir: config.dataDir,
      nodeId: server.nodeId,
      command,
      site: firstSite,
      snippet,
    });
    for (const line of lines) console.log(formatLine(config.logFormat, 'info', line, Date.now()));
  });
}
