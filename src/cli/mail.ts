// `footfall mail test --to you@example.com`: sends one mail. With --smtp-url/--mail-from it
// tries those settings (before putting them in the server's); otherwise a running server sends
// it with its own settings (through the control socket); otherwise FOOTFALL_SMTP_URL and
// FOOTFALL_MAIL_FROM are used. Without any of them, it says that mail is not configured.
import type { Command } from 'commander';
import { normalizeEmail } from '../auth/users.js';
import { createMailer } from '../mail/mailer.js';
import { testMail } from '../mail/messages.js';
import { MailConfigError, type MailSettings, mailSettings } from '../mail/smtp-settings.js';
import { ConfigError } from '../server/config.js';
import { publicUrlFromEnv } from '../sites/snippet.js';
import { controlRequest } from './control-client.js';
import { DATA_HELP, dataDir } from './data-dir.js';
import { unwrap } from './user-error.js';

const NOT_CONFIGURED =
  'mail is not configured: pass --smtp-url and --mail-from (or set FOOTFALL_SMTP_URL and FOOTFALL_MAIL_FROM), or start the server with them';

function settingsFrom(
  smtp: { text: string; source: string } | undefined,
  from: { text: string; source: string } | undefined,
): MailSettings | undefined {
  try {
    return mailSettings(smtp, from);
  } catch (err) {
    if (err instanceof MailConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

const setting = (text: string | undefined, source: string) =>
  text === undefined || text === '' ? undefined : { text, source };

export function registerMail(program: Command): void {
  const mail = program.command('mail').description('check that Footfall can send mail');
  mail
    .command('test')
    .description('send a test mail (through the running server when one holds the data directory)')
    .requiredOption('--to <email>', 'who gets the test mail')
    .option('--smtp-url <url>', 'try this SMTP server instead of the server’s (env FOOTFALL_SMTP_URL)')
    .option('--mail-from <address>', 'the sender to try (env FOOTFALL_MAIL_FROM)')
    .option('--data <dir>', DATA_HELP)
    .action(async (opts: { to: string; smtpUrl?: string; mailFrom?: string; data?: string }) => {
      const to = normalizeEmail(opts.to);
      let settings = settingsFrom(setting(opts.smtpUrl, '--smtp-url'), setting(opts.mailFrom, '--mail-from'));
      if (!settings) {
        const res = await controlRequest(dataDir(opts), 'POST', '/mail/test', { to });
        if (res) {
          unwrap(res);
          console.log(`sent a test mail to ${to} (through the running server)`);
          return;
        }
        settings = settingsFrom(
          setting(process.env.FOOTFALL_SMTP_URL, 'FOOTFALL_SMTP_URL'),
          setting(process.env.FOOTFALL_MAIL_FROM, 'FOOTFALL_MAIL_FROM'),
        );
      }
      if (!settings) throw new ConfigError(NOT_CONFIGURED);
      const mailer = createMailer(settings);
      try {
        await mailer.send(testMail(to, publicUrlFromEnv(process.env)));
      } finally {
        mailer.close();
      }
      console.log(`sent a test mail to ${to}`);
    });
}
