// Delivering an alert webhook: one POST of a JSON body, signed — `X-Footfall-Signature:
// sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with `X-Footfall-Timestamp: <unix s>`, so a
// receiver checks both who sent it and that it is fresh — to a target webhook-target.ts
// allows. A network error, a 5xx or a 429 is tried again after 1 s and 4 s (3 attempts); any
// other answer is final. Each attempt waits at most 10 s.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPrivateAddress, PRIVATE_TARGET, privateTarget } from './webhook-target.js';

const BACKOFF_MS = [1000, 4000];
const TIMEOUT_MS = 10_000;

export interface WebhookDeps {
  allowPrivate: boolean;
  /** Waits between attempts (tests pass one that does not wait). */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface Delivery {
  ok: boolean;
  attempts: number;
  /** The last answer's status; undefined when none came. */
  status?: number;
  error?: string;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function postOnce(
  url: URL,
  body: string,
  headers: Record<string, string>,
  allowPrivate: boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address is not looked up, so it is checked here.
    if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
      reject(privateTarget(`${host} is a loopback, private or link-local address`));
      return;
    }
    const req = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup(allowPrivate) as never,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function deliverWebhook(
  url: URL,
  body: string,
  secret: string,
  deps: WebhookDeps,
): Promise<Delivery> {
  let last: Delivery = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= BACKOFF_MS.length + 1; attempt++) {
    const timestamp = Math.floor(deps.now() / 1000);
    try {
      const status = await postOnce(
        url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'Footfall-Webhook',
          'x-footfall-timestamp': String(timestamp),
          'x-footfall-signature': signature(secret, timestamp, body),
        },
        deps.allowPrivate,
      );
      last = { ok: status >= 200 && status < 300, attempts: attempt, status };
      if (last.ok || !(status >= 500 || status === 429)) return last;
    } catch (err) {
      last = { ok: false, attempts: attempt, error: err instanceof Error ? err.message : String(err) };
      // A refused target stays refused: no retry.
      if ((err as NodeJS.ErrnoException).code === PRIVATE_TARGET) return last;
    }
    if (attempt <= BACKOFF_MS.length) await deps.sleep(BACKOFF_MS[attempt - 1]!);
  }
  return last;
}

/** One line for the settings page. */
export function deliveryText(d: Delivery, at: number): string {
  const when = new Date(at).toISOString().slice(0, 16).replace('T', ' ');
  const tries = d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`;
  if (d.ok) return `${when} UTC: delivered (HTTP ${d.status}, ${tries})`;
  return `${when} UTC: failed after ${tries}: ${d.status === undefined ? d.error : `HTTP ${d.status}`}`;
}
