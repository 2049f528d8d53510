// Generated nginx `combined` logs for bench:import-logs, two shapes:
// - `site`: what a site's log looks like — visits of one to eight page views minutes apart, each
//   page followed by the stylesheet, script and images it loads, a third of the visits by
//   visitors seen before, crawlers reading pages and robots.txt, some 404s and form POSTs, in
//   time order over 30 days;
// - `one-off`: the shape used until 2026-12-02 — every line a request of its own from an address
//   drawn from 3.1 M, over 300 days: no visitor ever comes back, so no per-visitor work repeats
//   (the worst case for an import, not a site's log).
// Both are deterministic (fixed pseudo-random sequences).
import { writeFileSync } from 'node:fs';
import { Random } from './generate/random.js';

export type LogShape = 'site' | 'one-off';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
];
const BOTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'curl/8.5.0',
];
const REFERRERS = [
  'https://www.google.com/',
  'https://news.ycombinator.com/',
  'https://t.co/x1',
  'https://duckduckgo.com/',
];
const ASSETS = ['/assets/site.css', '/assets/app.js', '/img/logo.png', '/favicon.ico', '/img/hero.webp'];

const pad = (n: number) => String(n).padStart(2, '0');
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
const line = (
  ip: string,
  ms: number,
  method: string,
  target: string,
  status: number,
  ref: string,
  ua: string,
) => `${ip} - - [${nginxTime(ms)}] "${method} ${target} HTTP/1.1" ${status} 1234 "${ref}" "${ua}"`;

/**
 * The sequence the one-off shape has always used (kept so its log stays byte for byte the same;
 * it loses precision past 2^53 and can get stuck, so the site shape uses Random).
 */
function random(): () => number {
  let seed = 5;
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

function oneOff(lines: number): string[] {
  const rnd = random();
  const start = Date.UTC(2026, 0, 1);
  const span = 300 * 86_400_000;
  const uas = [BROWSERS[0]!, BROWSERS[3]!, BROWSERS[4]!, BOTS[1]!];
  const targets = [
    '/',
    '/docs/',
    '/docs/install',
    '/blog/launch',
    '/pricing',
    '/assets/site.css',
    '/img/logo.png',
  ];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const ip = `10.${Math.floor(rnd() * 50)}.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}`;
    const target = targets[Math.floor(rnd() * targets.length)]!;
    const ref = rnd() < 0.3 ? 'https://www.google.com/' : '-';
    out.push(
      line(
        ip,
        start + Math.floor((i / lines) * span),
        'GET',
        target,
        200,
        ref,
        uas[Math.floor(rnd() * uas.length)]!,
      ),
    );
  }
  return out;
}

function site(lines: number): string[] {
  const random = new Random(5);
  const rnd = () => random.next();
  const start = Date.UTC(2026, 9, 1);
  const span = 30 * 86_400_000;
  const pages = [
    '/',
    '/pricing',
    '/about',
    '/docs/',
    ...Array.from({ length: 60 }, (_, i) => `/docs/page-${i}`),
    ...Array.from({ length: 140 }, (_, i) => `/blog/post-${i}`),
  ];
  const ip = () =>
    `${1 + Math.floor(rnd() * 220)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  const known: { ip: string; ua: string }[] = [];
  const crawlers = Array.from({ length: 40 }, (_, i) => ({ ip: ip(), ua: BOTS[i % BOTS.length]! }));
  const out: { ms: number; text: string }[] = [];
  while (out.length < lines) {
    let ms = start + Math.floor(rnd() * span);
    if (rnd() < 0.37) {
      // A crawler: a few pages (and robots.txt) a few seconds apart. Bot lines are ~25 % of all.
      const c = random.pick(crawlers);
      out.push({ ms, text: line(c.ip, ms, 'GET', '/robots.txt', 200, '-', c.ua) });
      for (let n = 1 + Math.floor(rnd() * 5); n > 0; n--) {
        ms += 1000 + Math.floor(rnd() * 5000);
        out.push({ ms, text: line(c.ip, ms, 'GET', random.pick(pages), 200, '-', c.ua) });
      }
      continue;
    }
    // A third of the visits by someone seen before, on the same address and browser.
    const returning = known.length > 0 && rnd() < 0.33;
    const who = returning ? random.pick(known) : { ip: ip(), ua: random.pick(BROWSERS) };
    if (!returning) {
      if (known.length < 50_000) known.push(who);
      else known[Math.floor(rnd() * known.length)] = who;
    }
    let ref = rnd() < 0.45 ? random.pick(REFERRERS) : '-';
    let page = rnd() < 0.4 ? '/' : random.pick(pages);
    for (let n = 1 + Math.min(7, Math.floor(-Math.log(1 - rnd()) / 0.8)); n > 0; n--) {
      const target = rnd() < 0.05 ? `${page}?utm_source=newsletter&utm_medium=email` : page;
      const status = rnd() < 0.02 ? 404 : 200;
      out.push({ ms, text: line(who.ip, ms, 'GET', target, status, ref, who.ua) });
      // What the page loads, right after it; on later pages mostly from the browser's cache (304).
      for (let a = Math.floor(rnd() * ASSETS.length); a < ASSETS.length; a++) {
        const at = ms + 50 + Math.floor(rnd() * 900);
        out.push({
          ms: at,
          text: line(
            who.ip,
            at,
            'GET',
            ASSETS[a]!,
            rnd() < 0.5 ? 200 : 304,
            `https://example.com${page}`,
            who.ua,
          ),
        });
      }
      if (rnd() < 0.02)
        out.push({
          ms: ms + 20_000,
          text: line(who.ip, ms + 20_000, 'POST', '/contact', 303, `https://example.com${page}`, who.ua),
        });
      ref = `https://example.com${page}`;
      page = random.pick(pages);
      ms += 5_000 + Math.floor(rnd() * 175_000);
    }
  }
  out.length = lines;
  // nginx writes lines as requests end: in time order.
  out.sort((a, b) => a.ms - b.ms);
  return out.map((l) => l.text);
}

/** Writes `lines` lines of the given shape to `file`. */
export function writeAccessLog(file: string, lines: number, shape: LogShape): void {
  const out = shape === 'site' ? site(lines) : oneOff(lines);
  writeFileSync(file, `${out.join('\n')}\n`);
}
