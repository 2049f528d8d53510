// Every button the dashboard shows is readable in both themes (issue 12, item 2: the light
// "Delete site" button was white on white and its form's label wrapped into three lines).
// For each visible button, in a real Chromium against a real server: the WCAG contrast of its
// text against the background actually painted behind it (its own, or the nearest ancestor's,
// with alpha composited) is at least 4.5:1, and a button whose label is plain text shows it on
// one line. Opacity is ignored: a disabled button's colours must be readable once enabled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, visitorContext } from '../helpers/browser.js';
import {
  createOwner,
  type DashboardServer,
  ownerContext,
  settled,
  startDashboardServer,
} from '../helpers/dashboard.js';
import { seedKnownTraffic } from './dashboard-seed.js';

const SITE = 'example.com';
const MIN_CONTRAST = 4.5;
let server: DashboardServer;
let browser: Browser;
let shareUrl: string;

before(async () => {
  server = await startDashboardServer([SITE]);
  await seedKnownTraffic(server, SITE);
  await createOwner(server);
  browser = await launchChromium();
  // A share link with a password (its page has a form) and an API key (a "Revoke" button).
  const ctx = await ownerContext(browser, server);
  const me = (await (await ctx.request.get(`${server.url}/api/auth/me`)).json()) as { csrf: string };
  const headers = { 'x-csrf-token': me.csrf };
  const share = await ctx.request.post(`${server.url}/api/sites/${SITE}/shares`, {
    headers,
    data: { password: 'share-secret-1234' },
  });
  assert.ok(share.ok(), await share.text());
  shareUrl = new URL(((await share.json()) as { share: { url: string } }).share.url, server.url).pathname;
  const key = await ctx.request.post(`${server.url}/api/keys`, {
    headers,
    data: { name: 'ci', sites: [SITE], readOnly: true },
  });
  assert.ok(key.ok(), await key.text());
  await ctx.close();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface ButtonReport {
  text: string;
  ratio: number;
  lines: number;
}

/** Runs in the page: contrast and line count of every visible button. */
function measureButtons(): ButtonReport[] {
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) return [0, 0, 0, 0];
    const p = (m[1] ?? '')
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
  };
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3];
    const mix = (i: 0 | 1 | 2) => top[i] * a + below[i] * (1 - a);
    return [mix(0), mix(1), mix(2), 1];
  };
  const luminance = (c: Rgba): number => {
    const lin = (i: 0 | 1 | 2) => {
      const s = c[i] / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(0) + 0.7152 * lin(1) + 0.0722 * lin(2);
  };
  const background = (el: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    // Nothing opaque up to <html>: the canvas is white.
    return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const lineCount = (el: Element): number => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set(
      [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
    );
    return tops.size;
  };
  const buttons = [...document.querySelectorAll('button, input[type=submit], [role=button]')];
  return buttons
    .filter((b) => {
      const r = b.getBoundingClientRect();
      return r.width > 2 && r.height > 2 && getComputedStyle(b).visibility !== 'hidden';
    })
    .map((b) => {
      const bg = background(b);
      const fg = over(parse(getComputedStyle(b).color), bg);
      const [a, b2] = [luminance(fg), luminance(bg)];
      const [hi, lo] = [Math.max(a, b2), Math.min(a, b2)];
      const plain = [...b.childNodes].every((n) => n.nodeType === Node.TEXT_NODE);
      return {
        text: (b.textContent ?? '').trim() || (b.getAttribute('aria-label') ?? '?'),
        ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
        lines: plain ? lineCount(b) : 1,
      };
    });
}

function problems(reports: ButtonReport[]): string[] {
  return reports.flatMap((r) => [
    ...(r.ratio < MIN_CONTRAST ? [`"${r.text}" contrast ${r.ratio}:1`] : []),
    ...(r.lines > 1 ? [`"${r.text}" wraps onto ${r.lines} lines`] : []),
  ]);
}

type Measure = (state: string) => Promise<void>;

/** The pages to check; each measures the buttons of every state it opens. */
const VIEWS: { signedIn: boolean; visit: (page: Page, measure: Measure) => Promise<void> }[] = [
  {
    signedIn: false,
    visit: async (page, measure) => {
      await page.goto(`${server.url}/login`);
      await page.waitForSelector('button[type=submit]');
      await measure('sign-in page');
    },
  },
  {
    signedIn: true,
    visit: async (page, measure) => {
      await page.goto(`${server.url}/`);
      await page.waitForSelector(`.site-card[data-site="${SITE}"]`);
      await measure('sites list');
    },
  },
  {
    signedIn: true,
    visit: async (page, measure) => {
      await page.goto(`${server.url}/sites/${SITE}`);
      await settled(page);
      await measure('dashboard');
      await page.click('button:has-text("Filter")');
      await page.waitForSelector('.filter-form button[type=submit]');
      await measure('dashboard filter menu');
      await page.keyboard.press('Escape');
      await page.click('section[data-panel="pages"] .details-open');
      await page.waitForSelector('dialog[open] table.ranked tbody tr');
      await measure('dashboard details');
    },
  },
  {
    signedIn: true,
    visit: async (page, measure) => {
      await page.goto(`${server.url}/sites/${SITE}/settings`);
      await page.waitForSelector('#delete-heading');
      await page.waitForSelector('button:has-text("Revoke")');
      await page.fill('section.danger input', SITE);
      await measure('site settings, deletion armed');
    },
  },
  {
    signedIn: true,
    visit: async (page, measure) => {
      await page.goto(`${server.url}/account`);
      await page.waitForSelector('button:has-text("Sign out")');
      await measure('account');
    },
  },
  {
    signedIn: false,
    visit: async (page, measure) => {
      await page.goto(server.url + shareUrl);
      await page.waitForSelector('button:has-text("View dashboard")');
      await measure('share link password form');
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme} theme: every button's text contrasts ≥ ${MIN_CONTRAST}:1 and a text label stays on one line`, async () => {
    const options = { colorScheme: scheme, viewport: { width: 1280, height: 900 } };
    const signedIn = await ownerContext(browser, server, options);
    const anonymous = await visitorContext(browser, options);
    try {
      const found: string[] = [];
      let checked = 0;
      for (const view of VIEWS) {
        const page = await (view.signedIn ? signedIn : anonymous).newPage();
        page.setDefaultTimeout(10_000);
        await view.visit(page, async (state) => {
          const reports = await page.evaluate(measureButtons);
          assert.ok(reports.length > 0, `no buttons found on the ${state}`);
          checked += reports.length;
          found.push(...problems(reports).map((p) => `${state}: ${p}`));
        });
        await page.close();
      }
      assert.deepEqual(found, [], `${checked} buttons checked`);
    } finally {
      await signedIn.close();
      await anonymous.close();
    }
  });
}

test('the delete form asks "Type <domain> to confirm" on one line', async () => {
  const ctx = await ownerContext(browser, server, { viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/sites/${SITE}/settings`);
  await page.waitForSelector('section.danger label');
  const lines = await page.$eval('section.danger label', (label) => {
    // The tops of the label's words (its text nodes, the input has none).
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    const tops = new Set<number>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
  });
  assert.equal(lines, 1);
  await ctx.close();
});
