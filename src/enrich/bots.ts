// Decides from the User-Agent header alone whether a request comes from a bot, crawler,
// headless browser or HTTP library rather than a person's browser. isbot carries the
// maintained list; EXTRA covers the few automation tools it does not know (checked
// against its v5 list in test/enrich/bots.test.ts).
import { isbot } from 'isbot';
import { memoByKey } from './memo.js';

// jsdom and SlimerJS are scriptable browsers, GTmetrix is a page-speed tester, `Dart/x
// (dart:io)` is the Dart/Flutter HTTP client's default, and "Puppeteer" is how scripts
// commonly label themselves. Compiled once: this runs for every event.
const EXTRA = /\bjsdom\/|\bslimerjs\/|\bgtmetrix\b|^dart\/\d|puppeteer/i;

export function isBotRequest(userAgent: string): boolean {
  // Every real browser sends a User-Agent; an empty or blank one is a script.
  if (userAgent.trim() === '') return true;
  return isbot(userAgent) || EXTRA.test(userAgent);
}

/**
 * `check` remembering its verdict per user agent (memo.ts): an import meets the same few hundred
 * user agents again and again, and isbot's expression cost ~10 µs a call there (BENCHMARKS.md).
 * The verdict depends on the string alone, so it cannot change.
 */
export function cachedBotCheck(
  check: (userAgent: string) => boolean = isBotRequest,
  max = 10_000,
): (userAgent: string) => boolean {
  return memoByKey(check, max);
}
