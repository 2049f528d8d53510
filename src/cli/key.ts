// `footfall key create|list|revoke`.
import type { Command } from 'commander';
import { ConfigError } from '../server/config.js';
import { withAccountAdmin } from './account-admin.js';
import { DATA_HELP, dataDir } from './data-dir.js';
import { utcTime } from './time-text.js';

const collect = (value: string, previous: string[]): string[] => [...previous, ...value.split(',')];

export function registerKey(program: Command): void {
  const key = program.command('key').description('create, list and revoke API keys');

  key
    .command('create')
    .description('create an API key for a user; it is printed once and stored only as a hash')
    .requiredOption('--user <email>', 'whose key it is: it never does more than they may')
    .requiredOption(
      '--site <domain>',
      'a site the key may be used for (repeat, or separate with commas)',
      collect,
      [],
    )
    .option('--read-only', 'the key may only read stats')
    .option('--name <name>', 'what the key is for, e.g. "grafana"')
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(
      async (opts: {
        user: string;
        site: string[];
        readOnly?: boolean;
        name?: string;
        json?: boolean;
        data?: string;
      }) => {
        const created = await withAccountAdmin(dataDir(opts), (admin) =>
          admin.createKey({
            user: opts.user,
            sites: opts.site,
            readOnly: opts.readOnly === true,
            name: opts.name,
          }),
        );
        if (opts.json) {
          console.log(JSON.stringify(created));
          return;
        }
        console.log(created.key);
        console.error(
          `created key ${created.id} (${created.readOnly ? 'read-only' : 'read-write'}, ${created.sites.join(', ')}) for ${created.user}: ` +
            'copy it now, it is not shown again; send it as "Authorization: Bearer <key>"',
        );
      },
    );

  key
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--user <email>', "only this user's keys")
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { user?: string; json?: boolean; data?: string }) => {
      const keys = await withAccountAdmin(dataDir(opts), (admin) => admin.listKeys(opts.user));
      if (opts.json) {
        console.log(JSON.stringify(keys));
        return;
      }
      if (keys.length === 0) {
        console.log(
          'no API keys — create one with: footfall key create --user you@example.com --site example.com',
        );
        return;
      }
      console.log('ID  PREFIX     ACCESS      USER / NAME / SITES / LAST USED');
      for (const k of keys) {
        console.log(
          `${String(k.id).padEnd(3)} ${k.prefix.padEnd(10)} ${(k.readOnly ? 'read-only' : 'read-write').padEnd(11)} ` +
            `${k.user} / ${k.name} / ${k.sites.join(',')} / ${k.lastUsedAt ? utcTime(k.lastUsedAt) : 'never'}`,
        );
      }
    });

  key
    .command('revoke <id>')
    .description('revoke an API key at once (its id is in "footfall key list")')
    .option('--data <dir>', DATA_HELP)
    .action(async (id: string, opts: { data?: string }) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n < 1)
        throw new ConfigError(`refusing "${id}": give the key's number from footfall key list`);
      await withAccountAdmin(dataDir(opts), (admin) => admin.revokeKey(n));
      console.log(`revoked key ${n}`);
    });
}
