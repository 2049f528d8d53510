// Visits the generated traffic (almost) never has, added to the stats fixture so every path of
// the query planner (src/query/plan.ts) meets them: visits across the edges of the 30- and
// 7-day ranges (the one over the change of clocks too), across local and UTC midnight, with an
// engagement ping as their only in-range event, and old events of a stored visit loaded after
// it (an import), which move its entry page.
import type { EventRow } from '../../src/store/event-row.js';

const MIN = 60_000;

/** One batch, loaded after `stored` (the generated events of the site). */
export function edgeVisits(stored: readonly EventRow[]): EventRow[] {
  const template = stored[0]!;
  let session = 1_000_000n;
  const rows: EventRow[] = [];
  const visit = (start: string, steps: [number, Partial<EventRow>][]) => {
    const sessionId = session++;
    const t0 = Date.parse(start);
    for (const [minutes, over] of steps) {
      rows.push({
        ...template,
        visitorId: 777_000n + sessionId,
        sessionId,
        ts: t0 + minutes * MIN,
        name: 'pageview',
        pathname: '/edge',
        props: [],
        interactive: true,
        scrollDepth: null,
        engagementMs: null,
        ...over,
      });
    }
  };
  const ping: Partial<EventRow> = {
    name: 'engagement',
    interactive: false,
    scrollDepth: 50,
    engagementMs: 4000,
  };
  // Across the start of "30d" (2 October, 00:00 in Berlin) and Berlin's midnight.
  visit('2026-10-01T21:50:00Z', [
    [0, { pathname: '/before' }],
    [20, { pathname: '/after' }],
    [30, ping],
  ]);
  // Only an engagement ping after that edge.
  visit('2026-10-01T21:55:00Z', [
    [0, {}],
    [10, ping],
  ]);
  // Across the start of "7d" (26 October, 00:00 in Berlin, the day after the clocks went back).
  visit('2026-10-25T22:45:00Z', [
    [0, {}],
    [20, { name: 'Signup', props: [['plan', 'pro']] }],
    [35, { pathname: '/later' }],
  ]);
  // Across UTC midnight (an hour after Berlin's).
  visit('2026-10-30T23:50:00Z', [
    [0, {}],
    [20, { hostname: 'www.example.com' }],
    [25, ping],
  ]);
  // Funnels (cases/funnels.ts, goals Home = "/", Posts 1x = "/blog/post-1*", Signup): one
  // visitor id in two visits a day apart (as an importer's own ids may be), the next step 23 h
  // after the first and the last 25 h after it, outside the 24-hour window…
  const signup: Partial<EventRow> = { name: 'Signup', props: [] };
  const post = { pathname: '/blog/post-1' };
  const same = { visitorId: 888_001n };
  visit('2026-10-05T10:00:00Z', [[0, { ...same, pathname: '/' }]]);
  visit('2026-10-06T09:00:00Z', [
    [0, { ...same, ...post }],
    [120, { ...same, ...signup }],
  ]);
  // …steps out of order and repeated; a step skipped; another page between steps (which ends
  // a strict funnel); two steps at the same instant.
  visit('2026-10-07T10:00:00Z', [
    [0, signup],
    [5, post],
    [10, { pathname: '/' }],
    [15, post],
    [20, { pathname: '/' }],
    [30, signup],
  ]);
  visit('2026-10-08T10:00:00Z', [
    [0, { pathname: '/' }],
    [5, signup],
  ]);
  visit('2026-10-09T10:00:00Z', [
    [0, { pathname: '/' }],
    [1, { pathname: '/other' }],
    [2, post],
    [3, signup],
  ]);
  // (The tied pair is a page view and a custom event: two page views at one instant would
  // leave the exit page to chance.)
  visit('2026-10-11T10:00:00Z', [
    [0, { pathname: '/' }],
    [1, post],
    [1, signup],
  ]);
  // An import: a page view five minutes before the first event of a stored visit.
  const first = stored.find(
    (r) => new Date(r.ts).toISOString().startsWith('2026-10-10') && r.name === 'pageview',
  )!;
  rows.push({ ...first, ts: first.ts - 5 * MIN, pathname: '/imported', props: [] });
  return rows;
}
