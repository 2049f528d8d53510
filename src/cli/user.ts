// `footfall user add|invite|password|list|remove`.
import type { Command } from 'commander';
import { inviteUrl } from '../auth/invites.js';
import { normalizeEmail, parseUserRole } from '../auth/users.js';
import { ConfigError } from '../server/config.js';
import { publicUrlFromEnv } from '../sites/snippet.js';
import { withAccountAdmin } from './account-admin.js';
import { confirm, DATA_HELP, dataDir } from './data-dir.js';
import { promptNewPassword, readPasswordFromStdin } from './password-input.js';
import { utcTime } from './time-text.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('add, list and remove the people who may sign in');

  user
    .command('add')
    .description('add a user (an owner sees and manages everything; a member only the sites given to them)')
    .requiredOption('--email <email>', 'the email address they sign in with')
    .option('--role <role>', 'owner or member', 'member')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { email: string; role: string; passwordStdin?: boolean; data?: string }) => {
      // Checked before the password is asked for, so a typo does not waste it.
      normalizeEmail(opts.email);
      parseUserRole(opts.role);
      const password = opts.passwordStdin ? await readPasswordFromStdin() : await promptNewPassword();
      const added = await withAccountAdmin(
        dataDir(opts),
        (admin) => admin.addUser(opts.email, password, opts.role),
        { create: true },
      );
      console.log(`added ${added.email} (${added.role})`);
    });

  user
    .command('invite <email>')
    .description('make a one-time link (7 days) for someone to choose their own password and sign in')
    .option('--role <role>', 'owner or member', 'member')
    .option('--public-url <url>', 'the server URL the link points at (env FOOTFALL_PUBLIC_URL)')
    .option('--data <dir>', DATA_HELP)
    .action(async (email: string, opts: { role: string; publicUrl?: string; data?: string }) => {
      normalizeEmail(email);
      parseUserRole(opts.role);
      const invite = await withAccountAdmin(dataDir(opts), (admin) => admin.inviteUser(email, opts.role), {
        create: true,
      });
      // The link alone on stdout (LINK=$(footfall user invite …) works); the note on stderr.
      console.error(
        `invited ${invite.user.email} (${invite.user.role}); send them this link (works once, until ${utcTime(invite.expiresAt)}):`,
      );
      console.log(inviteUrl(opts.publicUrl ?? publicUrlFromEnv(process.env), invite.token));
    });

  user
    .command('password <email>')
    .description("set someone's password (asked twice, or --password-stdin); signs them out everywhere")
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .option('--data <dir>', DATA_HELP)
    .action(async (email: string, opts: { passwordStdin?: boolean; data?: string }) => {
      normalizeEmail(email);
      const password = opts.passwordStdin ? await readPasswordFromStdin() : await promptNewPassword();
      await withAccountAdmin(dataDir(opts), (admin) => admin.setPassword(email, password));
      console.log(`changed the password of ${email.trim().toLowerCase()}; their sessions have ended`);
    });

  user
    .command('reset-2fa <email>')
    .description(
      'turn off their two-factor sign-in (a lost phone and no recovery code); they sign in with the password alone, or are asked to set it up again when owners require it',
    )
    .option('--data <dir>', DATA_HELP)
    .action(async (email: string, opts: { data?: string }) => {
      normalizeEmail(email);
      await withAccountAdmin(dataDir(opts), (admin) => admin.resetTwoFactor(email));
      console.log(`turned off two-factor sign-in for ${email.trim().toLowerCase()}`);
    });

  user
    .command('list')
    .description('list users')
    .option('--json', 'print JSON')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { json?: boolean; data?: string }) => {
      const users = await withAccountAdmin(dataDir(opts), (admin) => admin.listUsers());
      if (opts.json) {
        console.log(JSON.stringify(users.map(({ email, role, createdAt }) => ({ email, role, createdAt }))));
        return;
      }
      if (users.length === 0) {
        console.log(
          'no users yet — add the owner with: footfall user add --email you@example.com --role owner',
        );
        return;
      }
      const width = Math.max(5, ...users.map((u) => u.email.length));
      console.log(`${'EMAIL'.padEnd(width)}  ROLE    CREATED`);
      for (const u of users)
        console.log(`${u.email.padEnd(width)}  ${u.role.padEnd(6)}  ${utcTime(u.createdAt)}`);
    });

  user
    .command('remove <email>')
    .description('remove a user with their sessions, API keys and site roles')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--data <dir>', DATA_HELP)
    .action(async (email: string, opts: { yes?: boolean; data?: string }) => {
      if (!opts.yes) {
        if (!process.stdin.isTTY)
          throw new ConfigError(`refusing to remove ${email} without confirmation: add --yes`);
        if (!(await confirm(`Remove ${email} and their API keys? [y/N] `))) {
          console.log('nothing removed');
          return;
        }
      }
      await withAccountAdmin(dataDir(opts), (admin) => admin.removeUser(email));
      console.log(`removed ${email}`);
    });
}
