// Sending mail: one small interface over nodemailer's SMTP transport, so password reset (and
// later reports and alerts) depend on `Mailer`, not on SMTP. Without mail settings there is
// no mailer, and every mail feature answers FOOTFALL_ERR_MAIL_NOT_CONFIGURED.
import type { Transporter } from 'nodemailer';
import { footfallError } from '../errors.js';
import type { MailSettings } from './smtp-settings.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe on reports. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the mail; FOOTFALL_ERR_MAIL_FAILED otherwise. */
  send(mail: Mail): Promise<void>;
  close(): void;
}

// A mail waits at most this long for the SMTP server: a request that sends one must not hang.
const TIMEOUT_MS = 15_000;

export function createMailer(settings: MailSettings): Mailer {
  // nodemailer (~500 KB) is loaded with the first mail, not at every start of the server and CLI.
  let transport: Promise<Transporter> | undefined;
  const ready = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url: settings.smtpUrl,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      }),
    ));
  return {
    async send(mail) {
      try {
        await (await ready()).sendMail({ from: settings.from, ...mail });
      } catch (err) {
        // The SMTP server's own words help the operator; the URL (with its password) is not in them.
        throw footfallError('FOOTFALL_ERR_MAIL_FAILED', (err as Error).message.slice(0, 300));
      }
    },
    close: () => void transport?.then((t) => t.close()),
  };
}

/** The mailer, or the error every mail feature answers when there is none. */
export function requireMailer(mailer: Mailer | undefined): Mailer {
  if (!mailer) throw footfallError('FOOTFALL_ERR_MAIL_NOT_CONFIGURED');
  return mailer;
}
