// One-click unsubscribe links for reports: `<id>.<HMAC-SHA256 of the id>` under a random key
// kept in the database (instance_settings), so a link cannot be made for someone else's
// subscription, works without signing in, and needs nothing stored per mail. Subscription ids
// come from a sequence and are never reused, so a link never reaches a later subscription.
import { createHmac } from 'node:crypto';
import { newToken, sameSecret } from '../auth/tokens.js';
import type { ReportSubscriptions } from '../store/jobs.js';

const KEY_NAME = 'report_unsubscribe_key';

export interface UnsubscribeKeys {
  sign(id: number): Promise<string>;
  /** The subscription id a token names, or undefined when its signature is wrong. */
  verify(token: string): Promise<number | undefined>;
}

export function unsubscribeKeys(
  store: Pick<ReportSubscriptions, 'instanceSecret'>,
  randomBytes: (n: number) => Buffer,
): UnsubscribeKeys {
  let key: Promise<string> | undefined;
  const mac = async (id: number) => {
    key ??= store.instanceSecret(KEY_NAME, () => newToken(randomBytes));
    return createHmac('sha256', await key)
      .update(`unsubscribe:${id}`)
      .digest('base64url');
  };
  return {
    sign: async (id) => `${id}.${await mac(id)}`,
    async verify(token) {
      const m = /^([1-9]\d{0,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return undefined;
      const id = Number(m[1]);
      return sameSecret(m[2]!, await mac(id)) ? id : undefined;
    },
  };
}
