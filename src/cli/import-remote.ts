// An import into a running server (src/server/control-import.ts is the other side): sites come
// from the server, session ids from blocks it sets aside, and events go to it over the control
// socket in batches, each acknowledged once the server has journaled it. A batch the server
// cannot take now (its queue or journal full) is sent again after a pause; it is taken whole
// or not at all, so nothing is stored twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { type ImportTarget, siteNamed } from '../import/import-target.js';
import { encodeRow } from '../ingest/row-codec.js';
import type { EventRow } from '../store/event-row.js';
import type { Site } from '../store/types.js';
import { controlRequest, controlSend } from './control-client.js';
import { RemoteError, unwrap } from './user-error.js';

/** Session ids asked for at a time. */
const BLOCK = 10_000;
/** Events a batch carries (well under the server's queue, so a batch fits beside live tracking). */
const CHUNK = 500;
/** How long a batch is offered again while the server is full, before the import gives up. */
const GIVE_UP_MS = 5 * 60_000;

async function ask(dataDir: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await controlRequest(dataDir, method, path, body);
  if (!res) throw new RemoteError('the server stopped while importing: run the same command again to resume');
  return unwrap(res);
}

export function remoteTarget(dataDir: string): ImportTarget {
  let next = 0n;
  let end = 0n;
  return {
    async site(domain) {
      const { sites } = (await ask(dataDir, 'GET', '/sites')) as { sites: Site[] };
      return siteNamed(sites, domain);
    },
    ensureSessionIds(count) {
      if (end - next >= BigInt(count)) return undefined;
      const size = Math.max(count, BLOCK);
      return ask(dataDir, 'POST', '/import/sessions', { count: size }).then((answer) => {
        next = BigInt((answer as { first: string }).first);
        end = next + BigInt(size);
      });
    },
    allocateSessionId() {
      if (next >= end) throw new Error('ensureSessionIds() first');
      return next++;
    },
    async openSink() {
      let buffered: { line: string; done: (err?: Error) => void }[] = [];
      let inFlight = 0;
      let chain: Promise<void> = Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const send = () => {
        clearTimeout(timer);
        timer = undefined;
        const batch = buffered;
        buffered = [];
        if (batch.length === 0) return chain;
        inFlight += batch.length;
        chain = chain.then(async () => {
          const body = `${batch.map((b) => b.line).join('\n')}\n`;
          const started = Date.now();
          try {
            for (;;) {
              const res = await controlSend(dataDir, 'POST', '/import/events', body, 'application/x-ndjson');
              if (!res)
                throw new RemoteError(
                  'the server stopped while importing: run the same command again to resume',
                );
              if (res.status === 503 && Date.now() - started < GIVE_UP_MS) {
                await sleep(500);
                continue;
              }
              unwrap(res);
              break;
            }
            for (const b of batch) b.done();
          } catch (err) {
            for (const b of batch) b.done(err as Error);
          } finally {
            inFlight -= batch.length;
          }
        });
        return chain;
      };
      return {
        write(row: EventRow) {
          return new Promise<void>((resolve, reject) => {
            buffered.push({ line: encodeRow(row), done: (err) => (err ? reject(err) : resolve()) });
            if (buffered.length >= CHUNK) void send();
            // Fewer events (the end of a batch, a followed log going quiet) go out shortly.
            else timer ??= setTimeout(() => void send(), 50);
          });
        },
        flush: () => send(),
        close: () => send(),
        get depth() {
          return buffered.length + inFlight;
        },
      };
    },
  };
}
