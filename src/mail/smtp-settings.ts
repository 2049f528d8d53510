// The two mail settings of `footfall serve` (--smtp-url, --mail-from), checked at start so a
// typo stops the server with a line that names the fix instead of failing at the first mail.
// Pure: no sockets, so `footfall mail test` and the server share the same checks.

/** A mail setting is wrong; the server and the CLI print it as their own configuration errors. */
export class MailConfigError extends Error {}

export interface MailSettings {
  /** smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps:// (TLS from the start). */
  smtpUrl: string;
  /** The From of every mail, e.g. `Footfall <stats@example.com>`. */
  from: string;
}

const SCHEMES = new Set(['smtp:', 'smtps:']);
// One address, optionally with a display name; no list, no group (mail goes out under one name).
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Never echoes the URL: it holds the SMTP password, and the message may end up in logs. */
export function parseSmtpUrl(text: string, source: string): string {
  const example = 'e.g. smtps://user:password@smtp.example.com:465';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MailConfigError(`${source} is not a URL: use ${example}`);
  }
  if (!SCHEMES.has(url.protocol)) {
    throw new MailConfigError(
      `${source} starts with "${url.protocol.slice(0, 20)}//": use smtp:// (STARTTLS) or smtps:// (TLS), ${example}`,
    );
  }
  if (!url.hostname) throw new MailConfigError(`${source} names no host: ${example}`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw new MailConfigError(`${source} must not have a path, query or fragment: ${example}`);
  }
  if (url.password && !url.username)
    throw new MailConfigError(`${source} has a password without a user: ${example}`);
  return text;
}

export function parseMailFrom(text: string, source: string): string {
  const m = /^\s*(?:([^<>"\r\n]*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(text);
  const address = m ? (m[2] ?? m[3] ?? '') : '';
  if (!m || !ADDRESS.test(address) || text.length > 254) {
    throw new MailConfigError(
      `${source}="${text.slice(0, 100)}" is not a sender address: use e.g. stats@example.com or "Footfall <stats@example.com>"`,
    );
  }
  return text.trim();
}

/** Both settings or neither: half a mail configuration is a mistake worth stopping for. */
export function mailSettings(
  smtp: { text: string; source: string } | undefined,
  from: { text: string; source: string } | undefined,
): MailSettings | undefined {
  const smtpUrl = smtp ? parseSmtpUrl(smtp.text, smtp.source) : undefined;
  const sender = from ? parseMailFrom(from.text, from.source) : undefined;
  if (smtpUrl && !sender) {
    throw new MailConfigError(
      `${smtp!.source} is set but not the sender: add --mail-from (env FOOTFALL_MAIL_FROM), e.g. stats@example.com`,
    );
  }
  if (sender && !smtpUrl) {
    throw new MailConfigError(
      `${from!.source} is set but no SMTP server: add --smtp-url (env FOOTFALL_SMTP_URL), e.g. smtps://user:password@smtp.example.com:465`,
    );
  }
  return smtpUrl && sender ? { smtpUrl, from: sender } : undefined;
}
