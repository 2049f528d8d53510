// The dashboard's request queue (src/web/api/request-queue.ts): six in flight over HTTP/1.1, the
// rest in the order asked except that a 'high' one goes first, and a request aborted while it
// waits never starts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequestQueue } from '../../src/web/api/request-queue.js';

/** A request that answers when `finish` is called with its name. */
function pending() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const request = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finishers.set(name, () => resolve(name));
    });
  const finish = async (name: string) => {
    finishers.get(name)!();
    // Let the queue's then/finally run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, request, finish };
}

describe('the request queue', () => {
  it('has at most `slots` in flight; a high request goes before those asked earlier, in the same task or before', async () => {
    const q = createRequestQueue(2);
    const p = pending();
    const answers = [
      q.run(p.request('a'), 'auto'),
      q.run(p.request('b'), 'auto'),
      q.run(p.request('c'), 'auto'),
      q.run(p.request('d'), 'auto'),
      q.run(p.request('journeys'), 'high'),
    ];
    // Nothing goes out in the task that asked: all five are ranked first.
    assert.deepEqual(p.started, []);
    await Promise.resolve();
    assert.deepEqual(p.started, ['journeys', 'a']);
    // Asked later, while the slots are taken: a high one still goes before those waiting.
    const late = q.run(p.request('late'), 'high');
    await p.finish('a');
    assert.deepEqual(p.started, ['journeys', 'a', 'late']);
    await p.finish('journeys');
    await p.finish('late');
    assert.deepEqual(p.started, ['journeys', 'a', 'late', 'b', 'c']);
    await p.finish('b');
    await p.finish('c');
    assert.equal(await late, 'late');
    await p.finish('d');
    assert.deepEqual(await Promise.all(answers), ['a', 'b', 'c', 'd', 'journeys']);
  });

  it('a request aborted while waiting rejects as an abort and never starts; a failure frees its slot', async () => {
    const q = createRequestQueue(1);
    const p = pending();
    const first = q.run(p.request('first'), 'auto');
    const ctl = new AbortController();
    const dropped = q.run(p.request('dropped'), 'high', ctl.signal);
    const failing = q.run(() => Promise.reject(new Error('server down')), 'auto');
    const last = q.run(p.request('last'), 'auto');
    ctl.abort();
    await Promise.resolve();
    await assert.rejects(dropped, (err: unknown) => err instanceof DOMException && err.name === 'AbortError');
    await p.finish('first');
    await assert.rejects(failing, /server down/);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    assert.deepEqual(p.started, ['first', 'last']);
    await p.finish('last');
    assert.equal(await last, 'last');
    assert.equal(await first, 'first');
  });

  it('without a page (no navigation timing) it assumes HTTP/1.1: six at a time', async () => {
    const q = createRequestQueue();
    const p = pending();
    for (const n of ['1', '2', '3', '4', '5', '6', '7']) void q.run(p.request(n), 'auto');
    await Promise.resolve();
    assert.deepEqual(p.started, ['1', '2', '3', '4', '5', '6']);
    await p.finish('1');
    assert.equal(p.started.length, 7);
  });

  it('over HTTP/2 (the page came through a TLS proxy speaking h2) it holds nothing back', async () => {
    const real = performance.getEntriesByType.bind(performance);
    performance.getEntriesByType = ((type: string) =>
      type === 'navigation'
        ? [{ nextHopProtocol: 'h2' }]
        : real(type)) as typeof performance.getEntriesByType;
    try {
      const q = createRequestQueue();
      const p = pending();
      for (let i = 0; i < 20; i++) void q.run(p.request(String(i)), 'auto');
      await Promise.resolve();
      assert.equal(p.started.length, 20);
    } finally {
      performance.getEntriesByType = real;
    }
  });
});
