// Known traffic for the dashboard's browser tests: six visitors today (different browsers,
// countries, sources, UTM tags, a custom event with a property) and two three days ago.
import type { DashboardServer } from '../helpers/dashboard.js';
import { type SeedEvent, sendEvent } from '../helpers/dashboard.js';
import { BROWSER_UA } from '../helpers/server.js';

export const UA = {
  chrome: BROWSER_UA,
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
};

export interface Visit {
  ip: string;
  ua: string;
  pages: string[];
  referrer?: string;
  query?: string;
  event?: { name: string; props: Record<string, string> };
}

export const TODAY: Visit[] = [
  {
    ip: '2.16.20.1',
    ua: UA.chrome,
    pages: ['/', '/pricing', '/signup'],
    referrer: 'https://www.google.com/',
    event: { name: 'Signup', props: { plan: 'pro' } },
  },
  {
    ip: '5.9.10.2',
    ua: UA.firefox,
    pages: ['/', '/blog/hello'],
    referrer: 'https://news.ycombinator.com/item?id=1',
  },
  {
    ip: '31.13.64.3',
    ua: UA.iphone,
    pages: ['/pricing'],
    query: '?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
  },
  { ip: '41.0.0.4', ua: UA.chrome, pages: ['/'], referrer: 'https://www.google.com/' },
  { ip: '58.0.0.5', ua: UA.android, pages: ['/blog/hello', '/'] },
  {
    ip: '77.88.8.6',
    ua: UA.firefox,
    pages: ['/pricing', '/signup'],
    event: { name: 'Signup', props: { plan: 'free' } },
  },
];

export const EARLIER: Visit[] = [
  { ip: '81.2.69.7', ua: UA.chrome, pages: ['/', '/about'] },
  { ip: '101.0.0.8', ua: UA.iphone, pages: ['/about'] },
];

export const TITLES: Record<string, string> = {
  '/': 'Home',
  '/pricing': 'Pricing',
  '/signup': 'Sign up',
  '/blog/hello': 'Hello, world',
  '/about': 'About us',
};

async function sendVisit(server: DashboardServer, domain: string, v: Visit): Promise<void> {
  for (const [i, page] of v.pages.entries()) {
    const e: SeedEvent = {
      domain,
      url: `https://${domain}${page}${i === 0 ? (v.query ?? '') : ''}`,
      ip: v.ip,
      ua: v.ua,
      title: TITLES[page] ?? page,
      referrer: i === 0 ? v.referrer : `https://${domain}${v.pages[i - 1]}`,
      screenWidth: v.ua === UA.iphone || v.ua === UA.android ? 390 : 1440,
    };
    await sendEvent(server, e);
  }
  if (v.event) {
    await sendEvent(server, {
      domain,
      url: `https://${domain}${v.pages.at(-1)}`,
      ip: v.ip,
      ua: v.ua,
      name: v.event.name,
      props: v.event.props,
    });
  }
}

export async function seedKnownTraffic(server: DashboardServer, domain: string): Promise<void> {
  server.setOffsetMs(-3 * 86_400_000);
  for (const v of EARLIER) await sendVisit(server, domain, v);
  server.setOffsetMs(0);
  for (const v of TODAY) await sendVisit(server, domain, v);
  await server.flush();
}
