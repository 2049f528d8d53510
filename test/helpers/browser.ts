// A real browser for end-to-end tests: Debian's Chromium driven by playwright-core, and a
// tiny page server. Pages are opened as http://<name>.example:<port>/… — the resolver rule
// maps *.example to 127.0.0.1, so they are not "localhost" to the tracker — and the
// snippet's src points at the Footfall server as http://stats.example:<port>/script.js.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A fresh headless Chromium (Playwright gives each launch a temporary profile).
 * navigator.webdriver is false unless `webdriver: true` — the tracker ignores automated browsers.
 * The back/forward cache is on, as in a user's browser (Playwright turns it off by default).
 */
export function launchChromium(options: { webdriver?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP *.example 127.0.0.1',
      // Headless Chromium says "HeadlessChrome", which Footfall drops as a bot. Set at launch
      // (not per context) so that beacons sent while a page unloads carry it too.
      `--user-agent=${DESKTOP_CHROME_UA}`,
      ...(options.webdriver ? [] : ['--disable-blink-features=AutomationControlled']),
    ],
  });
}

/**
 * A visitor's browser context. Headless Chromium says "HeadlessChrome" in its user agent,
 * which Footfall drops as a bot, so the context presents the same Chromium as desktop Chrome.
 */
export async function visitorContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
    ...options,
  });
  // Functions passed to page.evaluate() are compiled by tsx, which wraps named functions in
  // __name(…): give the page a no-op one.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return context;
}

/** http://127.0.0.1:1234 → http://stats.example:1234 (how test pages reach the Footfall server). */
export function asHost(url: string, hostname: string): string {
  const u = new URL(url);
  u.hostname = hostname;
  return u.origin;
}

export type PageHandler = (url: URL) => { body: string; type?: string } | string | undefined;

export interface PageServer {
  port: number;
  /** http://<host>:<port><path>; host defaults to test.example. */
  url(path: string, host?: string): string;
  close(): Promise<void>;
}

/** Serves HTML (or whatever the handler returns) from 127.0.0.1; unknown paths are 404. */
export async function startPageServer(handler: PageHandler): Promise<PageServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const page = handler(url);
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const { body, type } = typeof page === 'string' ? { body: page, type: undefined } : page;
    res.writeHead(200, { 'content-type': type ?? 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path, host = 'test.example') => `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns a truthy value (returned) or the time is up (throws). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
