// Footfall's browser tracker, built by scripts/build.mjs into dist/script.js (served at
// GET /script.js). No dependencies, no cookies, no storage writes; it talks only to the
// endpoint next to its own src (or `data-api`).
//
//   <script defer data-domain="example.com" src="https://stats.example.com/script.js"></script>
//
// Attributes: data-domain, data-api, data-hash (hash routing), data-exclude="/admin/*,…",
// data-respect-dnt, data-file-types="pdf,zip" (replaces the default download extensions).
// Calls before the script loads are queued by this stub and replayed:
//   window.footfall = window.footfall || function () {
//     (window.footfall.q = window.footfall.q || []).push(arguments) };

export interface EventOptions {
  props?: Record<string, string | number | boolean>;
  /** A purchase: sent as Plausible's `$`; the server checks the amount and the ISO 4217 code. */
  revenue?: { amount: number | string; currency: string };
  callback?: () => void;
  interactive?: boolean;
}
export type FootfallApi = ((name: string, options?: EventOptions) => void) & { q?: ArrayLike<unknown>[] };

declare global {
  interface Window {
    footfall?: FootfallApi;
  }
}

const DOWNLOADS =
  'pdf,xlsx,docx,txt,rtf,csv,exe,key,pps,ppt,pptx,7z,pkg,rar,gz,zip,avi,mov,mp4,mpeg,wmv,midi,mp3,wav,wma,dmg,iso,msi';

const w = window;
const d = document;
// Older browsers lack sendBeacon; globalPrivacyControl is not in TypeScript's DOM types yet.
const nav = navigator as Omit<Navigator, 'sendBeacon'> & {
  sendBeacon?: Navigator['sendBeacon'];
  globalPrivacyControl?: boolean;
};
const loc = location;
// Always set while a classic (non-module) script runs, deferred or not.
const script = d.currentScript as HTMLScriptElement;
const attr = (name: string) => script.getAttribute(`data-${name}`);
const origin = new URL(script.src).origin;
const api = attr('api') || `${origin}/api/event`;
const domain = attr('domain');
const hashMode = attr('hash') != null;
const respectDnt = attr('respect-dnt') != null;
// "a, b*" → "a|b.*" (everything else matched literally)
const alternatives = (list: string) =>
  list
    .replace(/\s/g, '')
    .replace(/[^\w*/,-]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/,/g, '|');
const excluded = new RegExp(`^(${alternatives(attr('exclude') || '')})$`);
const downloads = new RegExp(`\\.(${alternatives(attr('file-types') || DOWNLOADS)})$`, 'i');
const now = Date.now;

function ignored(): unknown {
  let optOut: unknown;
  try {
    optOut = localStorage.footfall_ignore;
  } catch {
    // storage blocked (sandboxed frame, privacy settings): not an opt-out
  }
  return (
    // localhost, 127.x, [::1], and file: pages (no hostname)
    /^(localhost|127\..*|\[::1\])?$/.test(loc.hostname) ||
    nav.webdriver ||
    optOut === 'true' ||
    (respectDnt && (nav.doNotTrack === '1' || nav.globalPrivacyControl === true)) ||
    excluded.test(loc.pathname)
  );
}

function send(name: string, extra: Record<string, unknown>, callback?: () => void): void {
  if (!ignored()) {
    const body = JSON.stringify(
      Object.assign(
        {
          n: name,
          u: loc.href,
          d: domain,
          r: d.referrer,
          t: d.title,
          w: screen.width,
          l: nav.language,
          h: +hashMode,
        },
        extra,
      ),
    );
    // sendBeacon is queued by the browser and survives navigation (unload, link clicks).
    // biome-ignore lint/complexity/useOptionalChain: ?. would cost bytes in the ES2017 output
    if (nav.sendBeacon && nav.sendBeacon(api, body)) {
      // sent
    } else if (w.fetch as unknown) {
      fetch(api, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain' } }).catch(
        () => {},
      );
    } else if (name === 'pageview') {
      const e = encodeURIComponent;
      new Image().src = `${origin}/a.gif?url=${e(loc.href)}&ref=${e(d.referrer)}&t=${e(d.title)}`;
    }
  }
  if (callback) callback();
}

// Engagement: visible time and deepest scroll of the current page.
let visibleSince = 0;
let engagedMs = 0;
let scrollDepth = 0;
let pageUrl = '';

function measureScroll(): void {
  const depth = ((w.scrollY + w.innerHeight) / (d.documentElement.scrollHeight || 1)) * 100;
  scrollDepth = Math.max(scrollDepth, Math.min(Math.round(depth), 100));
}

function sendEngagement(): void {
  const t = now();
  const e = engagedMs + (visibleSince ? t - visibleSince : 0);
  engagedMs = 0;
  visibleSince = d.hidden ? 0 : t;
  if (e > 0 && pageUrl) send('engagement', { u: pageUrl, sd: scrollDepth, e, i: false });
}

// Page views: one per distinct page (pathname, plus the hash in hash mode).
let lastPage: string | undefined;

function pageview(force?: boolean): void {
  const page = loc.pathname + (hashMode ? loc.hash : '');
  if (page === lastPage && !force) return;
  if (!force) sendEngagement(); // the previous page's, if any
  lastPage = page;
  pageUrl = loc.href;
  scrollDepth = 0;
  measureScroll();
  send('pageview', {});
}

const footfall: FootfallApi = (name, options = {}) =>
  send(name, { p: options.props, $: options.revenue, i: options.interactive }, options.callback);

function onClick(event: MouseEvent): void {
  // click: primary button; auxclick: middle button (open in new tab)
  const target = event.target as Element;
  if (event.button > 1 || !target.closest) return;
  const tagged = target.closest('[data-footfall-event]');
  if (tagged) {
    const props: Record<string, string> = {};
    for (const a of tagged.attributes) {
      if (a.name.startsWith('data-footfall-event-')) props[a.name.slice(20)] = a.value;
    }
    footfall(tagged.getAttribute('data-footfall-event')!, { props });
  }
  const link = target.closest('a[href]') as HTMLAnchorElement | null;
  if (link && /^http/.test(link.protocol)) {
    const props = { props: { url: link.href } };
    if (downloads.test(link.pathname)) footfall('File Download', props);
    else if (link.host !== loc.host) footfall('Outbound Link: Click', props);
  }
}

// Calls made before the script loaded (the queue stub) are replayed after the first page view.
// biome-ignore lint/complexity/useOptionalChain: ?. would cost bytes in the ES2017 output
const queued = (w.footfall && w.footfall.q) || [];
w.footfall = footfall;

function start(): void {
  visibleSince = d.hidden ? 0 : now();
  pageview();
  for (const args of queued) footfall.apply(null, args as Parameters<FootfallApi>);

  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      pageview();
    };
  }
  const on = (target: EventTarget, type: string, fn: (e: never) => void) =>
    target.addEventListener(type, fn as EventListener);
  on(w, 'popstate', () => pageview());
  if (hashMode) on(w, 'hashchange', () => pageview());
  on(w, 'pageshow', (e: PageTransitionEvent) => {
    if (e.persisted) {
      visibleSince = now();
      pageview(true);
    }
  });
  on(w, 'scroll', measureScroll);
  on(d, 'visibilitychange', () => {
    if (d.hidden) sendEngagement();
    else visibleSince = now();
  });
  on(w, 'pagehide', () => {
    sendEngagement();
    visibleSince = 0;
  });
  on(d, 'click', onClick);
  on(d, 'auxclick', onClick);
}

if ((d as Document & { prerendering?: boolean }).prerendering) {
  d.addEventListener('prerenderingchange', start, { once: true });
} else {
  start();
}
