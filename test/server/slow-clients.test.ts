// Slow and greedy clients cannot hold the server's connections (issue 11.4): a body that
// trickles in, or headers that never end, are cut off; one address cannot open more than
// --max-connections-per-ip connections, unless it is a trusted proxy.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TIMEOUTS, type ServerTimeouts } from '../../src/server/connection-limits.js';
import { BROWSER_UA, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

// Short enough for a fast test; the defaults are checked separately below.
const SHORT: ServerTimeouts = {
  headersMs: 400,
  requestMs: 600,
  keepAliveMs: 5_000,
  idleMs: 10_000,
  checkIntervalMs: 50,
};

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Everything the server sends until it closes the connection, and when that was; after 3 s
 * the test gives up, closes it itself and reports closedAt Infinity (so a missing limit fails
 * the test instead of hanging it).
 */
function untilClosed(socket: Socket): Promise<{ text: string; closedAt: number }> {
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => {});
  return new Promise((resolve) => {
    const giveUp = setTimeout(() => {
      resolve({ text, closedAt: Number.POSITIVE_INFINITY });
      socket.destroy();
    }, 3000);
    socket.once('close', () => {
      clearTimeout(giveUp);
      resolve({ text, closedAt: Date.now() });
    });
  });
}

describe('slow clients', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ timeouts: SHORT, flags: { maxConnectionsPerIp: '3' } });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('a body trickling one byte at a time is cut off at the request timeout, and nothing is stored', async () => {
    const socket = await open(server.url);
    const closed = untilClosed(socket);
    const body = JSON.stringify({ n: 'pageview', u: 'https://example.com/trickle', d: 'example.com' });
    const started = Date.now();
    socket.write(
      `POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nUser-Agent: ${BROWSER_UA}\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
    );
    let i = 0;
    const drip = setInterval(() => {
      if (i < body.length - 1 && !socket.destroyed) socket.write(body[i++]!);
    }, 40);
    const { text, closedAt } = await closed;
    clearInterval(drip);
    assert.match(text, /^HTTP\/1\.1 408/, 'Node answers 408 Request Timeout before closing');
    assert.ok(closedAt - started < SHORT.requestMs + 1000, `closed after ${closedAt - started} ms`);
    assert.equal((await server.query("SELECT * FROM events WHERE pathname = '/trickle'")).length, 0);
  });

  it('headers that never end are cut off at the header timeout', async () => {
    const socket = await open(server.url);
    const closed = untilClosed(socket);
    const started = Date.now();
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
    }, 40);
    const { text, closedAt } = await closed;
    clearInterval(drip);
    assert.match(text, /^HTTP\/1\.1 408/);
    assert.ok(closedAt - started < SHORT.headersMs + 1000, `closed after ${closedAt - started} ms`);
  });

  it('one address holds at most --max-connections-per-ip connections; the next is closed at once', async () => {
    const held = await Promise.all([open(server.url), open(server.url), open(server.url)]);
    const extra = await open(server.url);
    const { text, closedAt } = await untilClosed(extra);
    assert.ok(closedAt < Number.POSITIVE_INFINITY, 'the extra connection is closed');
    assert.equal(text, '', 'closed without an answer');
    for (const s of held) s.destroy();
    // Once they are gone, the same address is served again.
    await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

describe('connections from a trusted proxy', () => {
  it('are not capped: every visitor behind the proxy shares its address', async () => {
    const server = await startTestServer({
      timeouts: SHORT,
      flags: { maxConnectionsPerIp: '2', trustProxy: 'loopback' },
    });
    try {
      const held = await Promise.all([open(server.url), open(server.url), open(server.url)]);
      const res = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
      assert.equal(res.status, 200);
      for (const s of held) s.destroy();
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  });
});

describe('the server', () => {
  it('applies the default timeouts: 10 s for headers, 30 s for a whole request, 75 s idle', async () => {
    assert.deepEqual(DEFAULT_TIMEOUTS, {
      headersMs: 10_000,
      requestMs: 30_000,
      keepAliveMs: 72_000,
      idleMs: 75_000,
      checkIntervalMs: 1_000,
    });
    const server = await startTestServer();
    try {
      const http = server.app.server;
      assert.equal(http.headersTimeout, 10_000);
      assert.equal(http.requestTimeout, 30_000);
      assert.equal(http.keepAliveTimeout, 72_000);
      assert.equal(http.timeout, 75_000);
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  });
});
