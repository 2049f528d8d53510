// Which ranked-list values are links, and to where. Whatever this returns still passes
// safeHttpUrl before it becomes an href.
import type { TabDef } from './tabs.js';

/** A page path links to that page on the site; a referrer links to itself. */
export function linkMaker(tab: TabDef, domain: string): ((value: string) => string | undefined) | undefined {
  if (tab.link === 'url') return (v) => v;
  if (tab.link === 'page') return (v) => (v.startsWith('/') ? `https://${domain}${v}` : undefined);
  return undefined;
}
