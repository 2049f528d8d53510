// The dashboard's browser tests: a real Footfall server (loopback proxy trusted, so each
// seeded visitor can come from its own X-Forwarded-For address), its owner account created
// from the setup link the server logs, a signed-in browser context, and the query API asked
// directly (with the operator's admin key) for the answers the page must show.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { QueryRequest, QueryResponse } from '../../src/web/api/types.js';
import { visitorContext } from './browser.js';
import { BROWSER_UA, startTestServer, type TestServer } from './server.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef-0123456789';
export const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };

export interface DashboardServer extends TestServer {
  /** Moves the server's clock (events are stamped with it; ranges resolve with it). */
  setOffsetMs(ms: number): void;
}

export async function startDashboardServer(sites: string[]): Promise<DashboardServer> {
  let offset = 0;
  const server = await startTestServer({
    sites,
    flags: { trustProxy: 'loopback', adminKey: ADMIN_KEY },
    now: () => Date.now() + offset,
  });
  return Object.assign(server, { setOffsetMs: (ms: number) => (offset = ms) });
}

/** Creates the owner account from the setup link the server logged at start. */
export async function createOwner(server: TestServer): Promise<void> {
  const line = server.logs.find((l) => l.includes('/setup?token='));
  const token = line && /setup\?token=([A-Za-z0-9_-]+)/.exec(line)?.[1];
  if (!token) throw new Error(`no setup link in the server's log:\n${server.logs.join('\n')}`);
  const res = await fetch(`${server.url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, ...OWNER }),
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
}

/** A browser context signed in as the owner (the session cookie is shared by its pages). */
export async function ownerContext(
  browser: Browser,
  server: TestServer,
  options: Parameters<typeof visitorContext>[1] = {},
): Promise<BrowserContext> {
  const context = await visitorContext(browser, options);
  const res = await context.request.post(`${server.url}/api/auth/login`, { data: OWNER });
  if (!res.ok()) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
  return context;
}

/** The query API's answer, asked with the admin key. */
export async function ask(server: TestServer, body: QueryRequest): Promise<QueryResponse> {
  const res = await fetch(`${server.url}/api/v2/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`query failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as QueryResponse;
}

export interface SeedEvent {
  domain: string;
  url: string;
  /** Distinct addresses make distinct visitors. */
  ip: string;
  name?: string;
  title?: string;
  referrer?: string;
  props?: Record<string, string>;
  ua?: string;
  screenWidth?: number;
  language?: string;
}

export async function sendEvent(server: TestServer, e: SeedEvent): Promise<void> {
  const res = await fetch(`${server.url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': e.ua ?? BROWSER_UA, 'x-forwarded-for': e.ip },
    body: JSON.stringify({
      name: e.name ?? 'pageview',
      url: e.url,
      domain: e.domain,
      referrer: e.referrer ?? null,
      props: e.props,
      title: e.title,
      screen_width: e.screenWidth ?? 1440,
      language: e.language ?? 'en-US',
    }),
  });
  if (res.status !== 202) throw new Error(`event refused: ${res.status} ${await res.text()}`);
}

/** Collects what must never happen on a dashboard page: dialogs, CSP violations, page errors, requests elsewhere. */
export interface PageWatch {
  dialogs: string[];
  violations: string[];
  errors: string[];
  foreignRequests: string[];
}

export async function watchPage(page: Page, origin: string): Promise<PageWatch> {
  const watch: PageWatch = { dialogs: [], violations: [], errors: [], foreignRequests: [] };
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (err) => watch.errors.push(err.message));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to/i.test(text)) watch.violations.push(text);
    else if (msg.type() === 'error' && !/Failed to load resource/.test(text)) watch.errors.push(text);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) watch.foreignRequests.push(url);
  });
  await page.exposeFunction('__reportViolation', (v: string) => watch.violations.push(v));
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => window.__reportViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));",
  });
  return watch;
}

/** Waits until no panel, card or chart on the page is loading. */
export async function settled(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('.dashboard') !== null &&
      document.querySelectorAll('.is-loading, [aria-busy="true"], .status[role="status"]').length === 0 &&
      !document.querySelector('.stat-value')?.textContent?.includes('…'),
    undefined,
    { timeout },
  );
}

/** The first rows of a panel's table: label text and the metric cells' text. */
export function panelRows(page: Page, panel: string): Promise<{ label: string; values: string[] }[]> {
  return page.$$eval(`section[data-panel="${panel}"] table.ranked tbody tr`, (rows) =>
    rows.map((r) => ({
      label: r.querySelector('.row-pick, .row-text')?.textContent ?? '',
      values: [...r.querySelectorAll('td.num')].map((td) => td.textContent ?? ''),
    })),
  );
}

/**
 * Fails when the page scrolls sideways once its layout has settled. A resize is followed by
 * ResizeObserver callbacks (the chart redraws at the new width) in a later frame, so the
 * check waits two frames and then up to 2 s for the width to fit; a lasting overflow fails
 * with the elements that stick out past the window's right edge, deepest first.
 */
export async function assertFitsWidth(page: Page, what = 'page'): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const fits = await page
    .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, undefined, {
      timeout: 2_000,
    })
    .then(() => true)
    .catch(() => false);
  if (fits) return;
  const report = await page.evaluate(() => {
    const edge = window.innerWidth;
    const sticks = (e: Element) => e.getBoundingClientRect().right > edge + 0.5;
    // The innermost elements that stick out: none of their children does.
    const out = [...document.querySelectorAll('body *')].filter(
      (e) => sticks(e) && ![...e.children].some(sticks),
    );
    const names = out.slice(0, 8).map((e) => {
      const r = e.getBoundingClientRect();
      return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(r.right)}`;
    });
    return `${document.documentElement.scrollWidth - edge}px past ${edge}px: ${names.join(', ')}`;
  });
  throw new Error(`${what} overflows sideways by ${report}`);
}
