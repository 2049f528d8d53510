// Errors a command shows as one line (exit code 2) rather than as a crash: bad input, a
// misconfiguration or a refusal (ConfigError), or an error a running server answered.
import { FootfallError } from '../errors.js';
import { ConfigError } from '../server/config.js';

/** An error a server answered, shown as the user would see it locally. */
export class RemoteError extends Error {}

/** The body of a successful answer; a failed one becomes a RemoteError with the server's message. */
export function unwrap(res: { status: number; body: unknown }): unknown {
  if (res.status < 400) return res.body;
  const message = (res.body as { error?: { message?: string } })?.error?.message;
  throw new RemoteError(message ?? `server answered ${res.status}`);
}

export function isUserError(err: unknown): err is Error {
  return err instanceof FootfallError || err instanceof RemoteError || err instanceof ConfigError;
}
