// Real User-Agent strings as browsers, bots and tools send them, with what Footfall should
// make of them. Shared by the user-agent and bot tests.
import type { UserAgentInfo } from '../../src/enrich/user-agent.js';

export interface BrowserCase {
  /** Who sends it, in words ("Chrome on Windows 10"). */
  label: string;
  ua: string;
  expected: UserAgentInfo;
}

export interface BotCase {
  label: string;
  ua: string;
}

function e(
  browser: string,
  browserVersion: string,
  os: string,
  osVersion: string,
  device: UserAgentInfo['device'],
): UserAgentInfo {
  return { browser, browserVersion, os, osVersion, device };
}

export const BROWSERS: readonly BrowserCase[] = [
  // Desktop
  {
    label: 'Chrome on Windows 10',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    expected: e('Chrome', '124', 'Windows', '10', 'Desktop'),
  },
  {
    // Windows 11 sends the same NT 10.0 token as Windows 10.
    label: 'Edge on Windows 11',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
    expected: e('Edge', '124', 'Windows', '10', 'Desktop'),
  },
  {
    label: 'Firefox on Windows 10',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    expected: e('Firefox', '125', 'Windows', '10', 'Desktop'),
  },
  {
    label: 'Opera on Windows 10',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 OPR/109.0.0.0',
    expected: e('Opera', '109', 'Windows', '10', 'Desktop'),
  },
  {
    label: 'Vivaldi on Windows 10',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Vivaldi/6.6.3271.55',
    expected: e('Vivaldi', '6', 'Windows', '10', 'Desktop'),
  },
  {
    label: 'Yandex Browser on Windows 10',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36',
    expected: e('Yandex Browser', '24', 'Windows', '10', 'Desktop'),
  },
  {
    label: 'Chrome on Windows 8.1',
    ua: 'Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
    expected: e('Chrome', '109', 'Windows', '8.1', 'Desktop'),
  },
  {
    label: 'Internet Explorer 11 on Windows 7',
    ua: 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
    expected: e('Internet Explorer', '11', 'Windows', '7', 'Desktop'),
  },
  {
    label: 'Chrome on macOS',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    expected: e('Chrome', '124', 'Mac', '10.15', 'Desktop'),
  },
  {
    label: 'Safari 17 on macOS',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    expected: e('Safari', '17', 'Mac', '10.15', 'Desktop'),
  },
  {
    label: 'Safari 14 on macOS Mojave',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1.2 Safari/605.1.15',
    expected: e('Safari', '14', 'Mac', '10.14', 'Desktop'),
  },
  {
    label: 'Firefox on macOS',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:124.0) Gecko/20100101 Firefox/124.0',
    expected: e('Firefox', '124', 'Mac', '10.15', 'Desktop'),
  },
  {
    label: 'Edge on macOS',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81',
    expected: e('Edge', '123', 'Mac', '10.15', 'Desktop'),
  },
  {
    label: 'Chrome on Linux',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    expected: e('Chrome', '122', 'GNU/Linux', '', 'Desktop'),
  },
  {
    // The parser reports the CPU architecture as the Linux version.
    label: 'Chrome on ARM Linux',
    ua: 'Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    expected: e('Chrome', '120', 'GNU/Linux', '', 'Desktop'),
  },
  {
    label: 'Firefox on Linux',
    ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
    expected: e('Firefox', '115', 'GNU/Linux', '', 'Desktop'),
  },
  {
    label: 'Firefox on Ubuntu',
    ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
    expected: e('Firefox', '123', 'GNU/Linux', '', 'Desktop'),
  },
  {
    label: 'Firefox on Fedora',
    ua: 'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
    expected: e('Firefox', '124', 'GNU/Linux', '', 'Desktop'),
  },
  {
    label: 'Chromium on Linux',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0.6099.224 Chrome/120.0.6099.224 Safari/537.36',
    expected: e('Chromium', '120', 'GNU/Linux', '', 'Desktop'),
  },
  {
    label: 'Firefox on FreeBSD',
    ua: 'Mozilla/5.0 (X11; FreeBSD amd64; rv:122.0) Gecko/20100101 Firefox/122.0',
    expected: e('Firefox', '122', 'FreeBSD', '', 'Desktop'),
  },
  {
    // Reduced UA: the CrOS platform token is frozen, the Chrome milestone is not.
    label: 'Chrome on a Chromebook',
    ua: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',
    expected: e('Chrome', '121', 'Chrome OS', '121', 'Desktop'),
  },
  {
    label: 'Chrome on an ARM Chromebook',
    ua: 'Mozilla/5.0 (X11; CrOS aarch64 15633.69.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.212 Safari/537.36',
    expected: e('Chrome', '119', 'Chrome OS', '119', 'Desktop'),
  },

  // Phones
  {
    label: 'Safari on iPhone (iOS 17)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
    expected: e('Safari', '17', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: 'Safari on iPhone (iOS 16)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    expected: e('Safari', '16', 'iOS', '16.6', 'Mobile'),
  },
  {
    label: 'Safari on iPhone (iOS 18)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    expected: e('Safari', '18', 'iOS', '18.0', 'Mobile'),
  },
  {
    label: 'Chrome on iPhone (CriOS)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
    expected: e('Chrome', '124', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: 'Firefox on iPhone (FxiOS)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15',
    expected: e('Firefox', '125', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: 'Edge on iPhone (EdgiOS)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/124.2478.50 Mobile/15E148 Safari/605.1.15',
    expected: e('Edge', '124', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: 'DuckDuckGo browser on iPhone',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 DuckDuckGo/7 Safari/605.1.15',
    expected: e('DuckDuckGo', '7', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: 'the Google app on iPhone (GSA)',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/310.0.621847700 Mobile/15E148 Safari/604.1',
    expected: e('Mobile App', '', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: "Instagram's in-app browser on iPhone",
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 290.0.0.13.76 (iPhone14,5; iOS 16_5; en_US; en; scale=3.00; 1170x2532; 486212515)',
    expected: e('Mobile App', '', 'iOS', '16.5', 'Mobile'),
  },
  {
    label: "Facebook's in-app browser on iPhone",
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/444.0.0.41.110;FBBV/540125946;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/17.1.2;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/541907418]',
    expected: e('Mobile App', '', 'iOS', '17.1', 'Mobile'),
  },
  {
    // No Safari token: an app's WKWebView.
    label: 'a WKWebView inside an iPhone app',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    expected: e('Mobile App', '', 'iOS', '17.4', 'Mobile'),
  },
  {
    label: 'Chrome on Android (reduced UA)',
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    expected: e('Chrome', '124', 'Android', '10', 'Mobile'),
  },
  {
    label: 'Chrome on a Pixel 7',
    ua: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36',
    expected: e('Chrome', '116', 'Android', '13', 'Mobile'),
  },
  {
    label: 'Samsung Internet on a Galaxy S23',
    ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    expected: e('Samsung Internet', '24', 'Android', '14', 'Mobile'),
  },
  {
    label: 'Samsung Internet with a reduced UA',
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
    expected: e('Samsung Internet', '25', 'Android', '10', 'Mobile'),
  },
  {
    label: 'Firefox on an Android phone',
    ua: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
    expected: e('Firefox', '125', 'Android', '14', 'Mobile'),
  },
  {
    label: 'Opera on Android',
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36 OPR/81.0.0.0',
    expected: e('Opera', '81', 'Android', '10', 'Mobile'),
  },
  {
    label: 'Opera Mini on Android',
    ua: 'Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16',
    expected: e('Opera', '36', 'Android', '', 'Mobile'),
  },
  {
    label: 'Edge on Android (EdgA)',
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64',
    expected: e('Edge', '124', 'Android', '10', 'Mobile'),
  },
  {
    label: 'an Android WebView (wv)',
    ua: 'Mozilla/5.0 (Linux; Android 13; SM-S918U Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/115.0.5790.166 Mobile Safari/537.36',
    expected: e('Mobile App', '', 'Android', '13', 'Mobile'),
  },
  {
    label: "Facebook's in-app browser on Android",
    ua: 'Mozilla/5.0 (Linux; Android 12; SM-A525F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/411.0.0.35.85;]',
    expected: e('Mobile App', '', 'Android', '12', 'Mobile'),
  },
  {
    label: 'MIUI Browser on a Xiaomi phone',
    ua: 'Mozilla/5.0 (Linux; U; Android 12; en-us; 2201117TY Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.4.0-g',
    expected: e('MIUI Browser', '14', 'Android', '12', 'Mobile'),
  },
  {
    label: 'UC Browser on Android',
    ua: 'Mozilla/5.0 (Linux; U; Android 10; en-US; RMX1911 Build/QKQ1.200209.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
    expected: e('UC Browser', '13', 'Android', '10', 'Mobile'),
  },
  {
    label: 'the old Android Browser',
    ua: 'Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebkit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30',
    expected: e('Android Browser', '4', 'Android', '4', 'Mobile'),
  },

  // Tablets
  {
    label: 'Safari on an iPad (mobile site mode)',
    ua: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    expected: e('Safari', '16', 'iPadOS', '16.6', 'Tablet'),
  },
  {
    label: 'Chrome on an iPad (CriOS)',
    ua: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
    expected: e('Chrome', '124', 'iPadOS', '17.4', 'Tablet'),
  },
  {
    label: 'Chrome on a Galaxy Tab S9',
    ua: 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    expected: e('Chrome', '124', 'Android', '13', 'Tablet'),
  },
  {
    label: 'Samsung Internet on a Galaxy Tab S7',
    ua: 'Mozilla/5.0 (Linux; Android 12; SAMSUNG SM-T870) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36',
    expected: e('Samsung Internet', '23', 'Android', '12', 'Tablet'),
  },
  {
    label: 'Silk on an Amazon Fire tablet',
    ua: 'Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/124.2.1 like Chrome/124.0.6367.82 Safari/537.36',
    expected: e('Silk', '124', 'Android', '9', 'Tablet'),
  },
  {
    label: 'Chrome on a Lenovo tablet',
    ua: 'Mozilla/5.0 (Linux; Android 11; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    expected: e('Chrome', '120', 'Android', '11', 'Tablet'),
  },
  {
    label: 'Firefox on an Android tablet',
    ua: 'Mozilla/5.0 (Android 13; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0',
    expected: e('Firefox', '125', 'Android', '13', 'Tablet'),
  },
  {
    // Chrome on Android omits "Mobile" on tablets, also in the reduced UA.
    label: 'Chrome on an Android tablet (reduced UA)',
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    expected: e('Chrome', '124', 'Android', '10', 'Tablet'),
  },
];

export const BOTS: readonly BotCase[] = [
  // Search engines
  { label: 'Googlebot', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
  {
    label: 'Googlebot Smartphone',
    ua: 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.155 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  { label: 'Googlebot-Image', ua: 'Mozilla/5.0 (compatible; Googlebot-Image/1.0)' },
  { label: 'Google-InspectionTool', ua: 'Mozilla/5.0 (compatible; Google-InspectionTool/1.0)' },
  { label: 'AdsBot-Google', ua: 'AdsBot-Google (+http://www.google.com/adsbot.html)' },
  { label: 'Bingbot', ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' },
  {
    label: 'Bingbot (Chrome-based)',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
  },
  { label: 'DuckDuckBot', ua: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)' },
  { label: 'YandexBot', ua: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)' },
  {
    label: 'Baiduspider',
    ua: 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  },
  {
    label: 'Yahoo Slurp',
    ua: 'Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)',
  },
  {
    label: 'Applebot',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  },
  // SEO crawlers and archivers
  { label: 'AhrefsBot', ua: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)' },
  { label: 'SemrushBot', ua: 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)' },
  { label: 'MJ12bot', ua: 'Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)' },
  {
    label: 'PetalBot',
    ua: 'Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)',
  },
  { label: 'CCBot', ua: 'Mozilla/5.0 (compatible; CCBot/2.0; +https://commoncrawl.org/faq/)' },
  {
    label: 'the Internet Archive crawler',
    ua: 'Mozilla/5.0 (compatible; archive.org_bot +http://www.archive.org/details/archive.org_bot)',
  },
  // AI crawlers
  {
    label: 'GPTBot',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  },
  {
    label: 'ChatGPT-User',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot',
  },
  {
    label: 'ClaudeBot',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
  },
  {
    label: 'PerplexityBot',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)',
  },
  {
    label: 'Bytespider',
    ua: 'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
  },
  {
    label: 'Amazonbot',
    ua: 'Mozilla/5.0 (compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot)',
  },
  // Link-preview fetchers
  {
    label: 'facebookexternalhit',
    ua: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  },
  { label: 'Twitterbot', ua: 'Twitterbot/1.0' },
  { label: 'Slackbot', ua: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
  { label: 'Discordbot', ua: 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)' },
  {
    label: 'LinkedInBot',
    ua: 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  },
  { label: 'WhatsApp link preview', ua: 'WhatsApp/2.23.20.0' },
  { label: 'TelegramBot', ua: 'TelegramBot (like TwitterBot)' },
  {
    label: 'Pinterestbot',
    ua: 'Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)',
  },
  // Headless browsers, test runners and page-speed tools
  {
    label: 'HeadlessChrome',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36',
  },
  {
    label: 'headless Edge',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessEdg/124.0.0.0 Safari/537.36',
  },
  {
    label: 'PhantomJS',
    ua: 'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
  },
  { label: 'SlimerJS', ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:60.0) Gecko/20100101 SlimerJS/1.0.0' },
  { label: 'jsdom', ua: 'Mozilla/5.0 (linux) AppleWebKit/537.36 (KHTML, like Gecko) jsdom/24.0.0' },
  {
    label: 'Cypress',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Cypress/13.6.0 Chrome/118.0.5993.159 Electron/27.1.3 Safari/537.36',
  },
  { label: "Playwright's API client", ua: 'Playwright/1.43.0 (x64; ubuntu 22.04) node/20.12' },
  { label: "Selenium's client", ua: 'selenium/4.18.1 (java windows)' },
  {
    // Puppeteer adds no marker of its own; scripts that label themselves do it like this.
    label: 'a script that names Puppeteer',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Puppeteer',
  },
  {
    label: 'Lighthouse (PageSpeed Insights)',
    ua: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
  },
  {
    label: 'GTmetrix',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 GTmetrix',
  },
  {
    label: 'WebPageTest',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 PTST/240425.190123',
  },
  // Uptime monitors
  { label: 'UptimeRobot', ua: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)' },
  { label: 'Pingdom', ua: 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)' },
  // HTTP libraries and command-line tools
  { label: 'curl', ua: 'curl/8.5.0' },
  { label: 'Wget', ua: 'Wget/1.21.4' },
  { label: 'python-requests', ua: 'python-requests/2.31.0' },
  { label: 'Python urllib', ua: 'Python-urllib/3.11' },
  { label: 'aiohttp', ua: 'Python/3.11 aiohttp/3.9.3' },
  { label: 'httpx', ua: 'python-httpx/0.27.0' },
  { label: 'Scrapy', ua: 'Scrapy/2.11.1 (+https://scrapy.org)' },
  { label: 'Go-http-client', ua: 'Go-http-client/1.1' },
  { label: 'Go-http-client over HTTP/2', ua: 'Go-http-client/2.0' },
  { label: 'node-fetch', ua: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)' },
  { label: "Node's built-in fetch", ua: 'node' },
  { label: 'axios', ua: 'axios/1.6.8' },
  { label: 'OkHttp', ua: 'okhttp/4.12.0' },
  { label: 'Java HttpClient', ua: 'Java/17.0.2' },
  { label: 'Apache HttpClient', ua: 'Apache-HttpClient/4.5.14 (Java/17.0.8)' },
  { label: 'the Dart HTTP client', ua: 'Dart/3.3 (dart:io)' },
  { label: 'Postman', ua: 'PostmanRuntime/7.37.3' },
  { label: 'HTTPie', ua: 'HTTPie/3.2.2' },
  { label: 'libwww-perl', ua: 'libwww-perl/6.72' },
];
