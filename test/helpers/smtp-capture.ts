// A real SMTP server in the test process (smtp-server), keeping every mail it receives parsed
// (mailparser), so mail tests read what a person's inbox would show.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The HTML part, '' when there is none. */
  html: string;
  /** A header's value as received (e.g. 'list-unsubscribe'); undefined when absent. */
  header(name: string): string | undefined;
}

export interface SmtpCapture {
  /** smtp://user:pass@127.0.0.1:<port>, for --smtp-url. */
  url: string;
  mails: CapturedMail[];
  /** Resolves with the next mail (or one already received beyond `seen`). */
  next(seen?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

export const SMTP_USER = 'mailer';
export const SMTP_PASSWORD = 'smtp-secret';

export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no certificate to make; STARTTLS is for real servers.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: SMTP_USER });
      else cb(new Error('wrong SMTP credentials'));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: parsed.html || '',
            header: (name) => {
              const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
              return line?.slice(line.indexOf(':') + 1).trim();
            },
          });
          for (const w of waiting.splice(0)) w();
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    mails,
    async next(seen = mails.length) {
      while (mails.length <= seen) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no mail arrived within 10 s')), 10_000);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return mails[seen]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
