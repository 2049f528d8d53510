// Browser, OS and device class from a User-Agent header, named the way Plausible names them
// (its UAInspector vocabulary: "Mac", "GNU/Linux", "Desktop"), so the two tools' rows match. Parsing is ua-parser-js 1.x (MIT; 2.x is AGPL)
// behind an LRU cache: a site's traffic repeats a few hundred UA strings, and a cache hit
// is far cheaper than running the parser's regex lists.
import { LRUCache } from 'lru-cache';
import UAParser from 'ua-parser-js';

export interface UserAgentInfo {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  device: 'Desktop' | 'Mobile' | 'Tablet' | '';
}

export interface UserAgentParserOptions {
  /** Distinct UA strings remembered; 0 turns the cache off. Default 5,000. */
  cacheSize?: number;
}

// The header is attacker-controlled and every field lands in the store and the dashboard.
const MAX_FIELD = 50;
// ua-parser-js reads only the first 500 characters, so longer input gives the same answer;
// cutting it before the cache keeps a flood of huge headers from bloating cache keys.
const MAX_UA = 500;
const DEFAULT_CACHE_SIZE = 5_000;

const EMPTY: UserAgentInfo = Object.freeze({
  browser: '',
  browserVersion: '',
  os: '',
  osVersion: '',
  device: '',
});

// Parser names → the names people know. Keys are lower case because names the parser
// captures from the UA keep the UA's spelling.
const BROWSER_NAMES = new Map<string, string>([
  ['mobile safari', 'Safari'],
  ['opera mini', 'Opera'],
  ['opera mobi', 'Opera'],
  ['opera tablet', 'Opera'],
  ['opera touch', 'Opera'],
  ['opera coast', 'Opera'],
  ['yandex', 'Yandex Browser'],
  ['ucbrowser', 'UC Browser'],
  ['ie', 'Internet Explorer'],
  ['iemobile', 'Internet Explorer'],
  ['chrome headless', 'Headless Chrome'],
]);

// In-app browsers and WebViews. Like Plausible, they are grouped as "Mobile App" with no
// version: the number they carry is the app's or the embedded engine's, not a browser's.
const MOBILE_APP = 'Mobile App';
const IN_APP = new Set([
  'chrome webview',
  'facebook',
  'instagram',
  'tiktok',
  'snapchat',
  'wechat',
  'line',
  'kakaotalk',
  'kakaostory',
  'naver',
  'daum',
  'alipay',
  'twitter',
  'linkedin',
  'gsa',
  'klarna',
  'weibo',
]);

// Distributions the parser names on their own; a dashboard groups them as GNU/Linux.
const LINUX_DISTROS = new Set([
  'linux',
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'fedora',
  'mint',
  'arch',
  'gentoo',
  'suse',
  'opensuse',
  'slackware',
  'centos',
  'redhat',
  'red hat',
  'mandriva',
  'mageia',
  'pclinuxos',
  'zenwalk',
  'linpus',
  'raspbian',
  'deepin',
  'manjaro',
  'elementary os',
  'sabayon',
  'linspire',
  'vectorlinux',
  'gnu',
]);

// Plausible's names (ua-parser-js says "Mac OS" and names each Linux distribution).
const MAC = 'Mac';
const LINUX = 'GNU/Linux';

// Operating systems whose UAs carry no device token because they run on computers.
const DESKTOP_OSES = new Set(['Windows', MAC, LINUX, 'Chrome OS', 'FreeBSD', 'OpenBSD', 'NetBSD', 'Solaris']);

const MAJOR = /^\d+/;
const MAJOR_MINOR = /^\d+(?:\.\d+)?/;
const NOT_PRINTABLE = /[^\x20-\x7e]/g;

function clean(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return value.replace(NOT_PRINTABLE, '').trim().slice(0, MAX_FIELD);
}

function leading(version: string | undefined, pattern: RegExp): string {
  if (version === undefined) return '';
  return pattern.exec(version)?.[0].slice(0, MAX_FIELD) ?? '';
}

function osOf(name: string | undefined, version: string | undefined): { os: string; osVersion: string } {
  const raw = clean(name);
  const lower = raw.toLowerCase();
  if (raw === 'Mac OS') return { os: MAC, osVersion: leading(version, MAJOR_MINOR) };
  if (raw === 'iOS') return { os: 'iOS', osVersion: leading(version, MAJOR_MINOR) };
  // Windows versions come out as the marketing names ("10", "8.1", "XP"). Windows 11
  // sends the same "NT 10.0" token as 10, so it reads as "10" without client hints.
  if (raw === 'Windows') return { os: 'Windows', osVersion: clean(version) };
  // The parser's Linux "version" is usually a CPU architecture ("aarch64") or a distro
  // release, neither of which says anything useful on a Linux row.
  if (LINUX_DISTROS.has(lower)) return { os: LINUX, osVersion: '' };
  // Chrome OS's platform token is frozen by Chrome's UA reduction; the version is filled
  // in from the browser below.
  if (raw === 'Chromium OS') return { os: 'Chrome OS', osVersion: '' };
  return { os: raw, osVersion: leading(version, MAJOR) };
}

function browserOf(name: string | undefined, version: string | undefined, os: string) {
  const raw = clean(name);
  const lower = raw.toLowerCase();
  // A bare "WebKit" on iOS is an app's WKWebView (no Safari token); its version is the
  // engine build, not a browser release.
  if (IN_APP.has(lower) || (lower === 'webkit' && os === 'iOS')) {
    return { browser: MOBILE_APP, browserVersion: '' };
  }
  if (lower === 'webkit') return { browser: 'WebKit', browserVersion: '' };
  return { browser: BROWSER_NAMES.get(lower) ?? raw, browserVersion: leading(version, MAJOR) };
}

function deviceOf(type: string | undefined, os: string): UserAgentInfo['device'] {
  switch (type) {
    case 'mobile':
    case 'wearable':
      return 'Mobile';
    case 'tablet':
    // Car browsers (Plausible counts them as tablets) and e-readers: big touch screens.
    case 'embedded':
      return 'Tablet';
    // Consoles and TVs are used like desktops (big screen, no touch), as in Plausible.
    case 'console':
    case 'smarttv':
      return 'Desktop';
    case undefined:
      if (DESKTOP_OSES.has(os)) return 'Desktop';
      // iPhones and iPads are typed by the parser; an untyped Android or iOS UA (Opera
      // Mini, some in-app browsers) is almost always a phone.
      if (os === 'Android' || os === 'iOS') return 'Mobile';
      return '';
    default:
      return '';
  }
}

export function createUserAgentParser(opts: UserAgentParserOptions = {}): (ua: string) => UserAgentInfo {
  const cacheSize = opts.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) {
    throw new RangeError(`cacheSize must be a non-negative integer, got ${cacheSize}`);
  }
  // One parser instance reused for every call; asking only for browser, OS and device
  // skips the engine and CPU regex lists.
  const parser = new UAParser();
  const cache = cacheSize > 0 ? new LRUCache<string, UserAgentInfo>({ max: cacheSize }) : null;

  function parse(ua: string): UserAgentInfo {
    parser.setUA(ua);
    const b = parser.getBrowser();
    const o = parser.getOS();
    const d = parser.getDevice();
    let { os, osVersion } = osOf(o.name, o.version);
    const { browser, browserVersion } = browserOf(b.name, b.version, os);
    let device = deviceOf(d.type, os);
    if (os === 'Chrome OS' && browser === 'Chrome') osVersion = browserVersion;
    // iPads have run iPadOS since version 13; the UA still says "CPU OS … like Mac OS X".
    if (os === 'iOS' && d.model === 'iPad') {
      device = 'Tablet';
      if (Number.parseInt(osVersion, 10) >= 13) os = 'iPadOS';
    }
    // Frozen because cached results are shared between callers.
    return Object.freeze({ browser, browserVersion, os, osVersion, device });
  }

  return (ua: string): UserAgentInfo => {
    let key = ua.length > MAX_UA ? ua.slice(0, MAX_UA) : ua;
    key = key.trim();
    if (key === '') return EMPTY;
    if (cache === null) return parse(key);
    let info = cache.get(key);
    if (info === undefined) {
      info = parse(key);
      cache.set(key, info);
    }
    return info;
  };
}
