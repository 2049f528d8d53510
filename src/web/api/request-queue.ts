// Which request goes to the server next. Over HTTP/1.1 a browser opens six connections to a
// host and queues the rest of its requests in the order they were asked, whatever their fetch
// priority (measured in Chromium: the 12-month dashboard asks 16 requests within 40 ms; its
// slowest, journeys, asked among the last, waited 0.7 s for a connection). So the queue is kept
// here instead, at most six in flight, and a 'high' request goes before the others waiting —
// also before those asked in the same task (a page's panels ask in one run of effects): the
// queue hands out slots in a microtask after the asking, not at once. The server answers a
// reader's requests in the order they arrive (store/query-gate.ts), so the slowest panel asking
// first is what lets it run beside the others instead of after them.
// Over HTTP/2 (behind a TLS proxy, as the install guide sets up) a browser has no such limit,
// and neither has this queue.

/** A browser's connections per host over HTTP/1.1 (Chromium's, Firefox's and Safari's). */
const HTTP1_CONNECTIONS = 6;

export interface RequestQueue {
  /** Runs `start` once a slot is free ('high' ones first); rejects as an abort if `signal` aborts while waiting. */
  run<T>(start: () => Promise<T>, priority: RequestPriority, signal?: AbortSignal): Promise<T>;
}

/** Whether the page itself came over HTTP/1.x (the protocol its API calls share). */
function overHttp1(): boolean {
  const nav = globalThis.performance?.getEntriesByType?.('navigation')[0] as
    | PerformanceNavigationTiming
    | undefined;
  const protocol = nav?.nextHopProtocol ?? '';
  // Unknown (an old browser, a cached page): assume the limit.
  return protocol === '' || protocol.startsWith('http/1');
}

export function createRequestQueue(
  slots = overHttp1() ? HTTP1_CONNECTIONS : Number.POSITIVE_INFINITY,
): RequestQueue {
  let running = 0;
  let flushing = false;
  const waiting: { priority: RequestPriority; go: () => void }[] = [];
  const next = () => {
    flushing = false;
    while (running < slots && waiting.length > 0) {
      const i = waiting.findIndex((w) => w.priority === 'high');
      // The first high one, else the first asked (findIndex gives -1 for none).
      const [w] = waiting.splice(Math.max(i, 0), 1);
      w!.go();
    }
  };
  return {
    run<T>(start: () => Promise<T>, priority: RequestPriority, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const entry = {
          priority,
          go: () => {
            signal?.removeEventListener('abort', onAbort);
            running++;
            start()
              .then(resolve, reject)
              .finally(() => {
                running--;
                next();
              });
          },
        };
        const onAbort = () => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(entry);
        if (!flushing) {
          flushing = true;
          queueMicrotask(next);
        }
      });
    },
  };
}
