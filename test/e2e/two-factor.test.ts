// Two-factor sign-in in a real Chromium (issue 18, item 5): the owner sets it up on the
// account page (QR code rendered by the server, shown under the strict CSP), signs in again
// with a code computed here; then requires it for everyone, and a member is walked through
// setting it up right after their password.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, visitorContext } from '../helpers/browser.js';
import {
  ADMIN_KEY,
  createOwner,
  type DashboardServer,
  OWNER,
  ownerContext,
  type PageWatch,
  startDashboardServer,
  watchPage,
} from '../helpers/dashboard.js';

const MEMBER = { email: 'member@example.com', password: 'member password here' };
let server: DashboardServer;
let browser: Browser;
const watches: PageWatch[] = [];

before(async () => {
  server = await startDashboardServer(['example.com']);
  await createOwner(server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const w of watches) {
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(w.violations, []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.foreignRequests, []);
  }
});

async function watched(page: Page): Promise<Page> {
  watches.push(await watchPage(page, server.url));
  return page;
}

/** The code for the next time step: the one just used at enrolment cannot be used again. */
const nextCode = (secret: string) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + 30_000 });

/** Fills the enrolment in and returns the secret it showed. */
async function enrolOnPage(page: Page, doneLabel: string): Promise<string> {
  const secret = (await page.locator('[data-testid=totp-secret]').textContent())!.trim();
  // The QR code is an image the browser decoded (img-src 'self' data:), not markup in the page.
  await page.waitForFunction(
    () => (document.querySelector('img.qr') as HTMLImageElement | null)?.naturalWidth,
  );
  await page.fill(
    'input[name=code]',
    TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() }),
  );
  await page.click('button:has-text("Turn on")');
  await page.waitForSelector('ul[aria-label="Recovery codes"] li:nth-child(10)');
  await page.click(`button:has-text("${doneLabel}")`);
  return secret;
}

test('the owner sets up two-factor sign-in on the account page and signs in with a code', async () => {
  const ctx = await ownerContext(browser, server);
  const page = await watched(await ctx.newPage());
  await page.goto(`${server.url}/account`);
  await page.click('button:has-text("Set up two-factor sign-in")');
  await page.waitForSelector('[data-testid=totp-secret]');
  const secret = await enrolOnPage(page, 'Done');
  await page.waitForSelector('text=On. 10 recovery codes left.');
  await ctx.close();

  const fresh = await visitorContext(browser);
  const login = await watched(await fresh.newPage());
  await login.goto(`${server.url}/login`);
  await login.fill('input[name=email]', OWNER.email);
  await login.fill('input[name=password]', OWNER.password);
  await login.click('button[type=submit]');
  await login.waitForSelector('h1:has-text("Two-factor sign-in")');
  await login.fill('input[name=code]', '000000');
  await login.click('button[type=submit]');
  await login.waitForSelector('.form-error:has-text("the code is wrong")');
  await login.fill('input[name=code]', nextCode(secret));
  await login.click('button[type=submit]');
  await login.waitForURL(`${server.url}/`);
  const me = await fresh.request.get(`${server.url}/api/auth/me`);
  assert.equal(((await me.json()) as { user: { email: string } }).user.email, OWNER.email);
  await fresh.close();
});

test('required for everyone: a member without it sets it up right after the password', async () => {
  const added = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ ...MEMBER, role: 'member' }),
  });
  assert.equal(added.status, 201, await added.text());
  const required = await fetch(`${server.url}/api/auth/2fa/required`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ required: true }),
  });
  assert.equal(required.status, 200);

  const ctx = await visitorContext(browser);
  const page = await watched(await ctx.newPage());
  await page.goto(`${server.url}/login`);
  await page.fill('input[name=email]', MEMBER.email);
  await page.fill('input[name=password]', MEMBER.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('h1:has-text("Set up two-factor sign-in")');
  await page.waitForSelector('[data-testid=totp-secret]');
  await enrolOnPage(page, 'Continue');
  await page.waitForURL(`${server.url}/`);
  await page.goto(`${server.url}/account`);
  await page.waitForSelector('text=Owners require two-factor sign-in for everyone.');
  await ctx.close();
});
