// The expected answer to a stats query, computed in plain TypeScript from the generated
// events — never through SQL or the engine's own code — following the semantics the README
// documents (Plausible's): visitors/pageviews/events per matching event; visits, bounce rate,
// duration and views per visit over the visits holding a matching event, bounce rate with a
// page filter only over visits that entered on such a page, and the rates in a breakdown by
// page (host) grouped by entry page (host); a hostname filter limits source/UTM/entry-page
// breakdowns to visits that began on the host; engagement events never start, lengthen or
// un-bounce a visit; empty values read "(not set)" / "Direct / None"; scroll depth and time
// on page from engagement events; a visit's time is its first event's.
import type { EventRow } from '../../src/store/event-row.js';
import { convertsGoal, goalsNamedBy, type OracleGoal } from './goal-oracle.js';

export interface OracleQuery {
  metrics: string[];
  dimensions: string[];
  filters: unknown[];
  fromMs: number;
  toMs: number;
  timezone: string;
  /** What `time` means for this range. */
  timeUnit: 'hour' | 'day' | 'week' | 'month';
  firstDate: string;
  orderBy?: [string, 'asc' | 'desc'][];
  limit?: number;
  offset?: number;
  /** The site's goals, for behavioural filters that name them. */
  goals?: readonly OracleGoal[];
}

export interface OracleRow {
  dimensions: (string | number)[];
  metrics: (number | null)[];
}

// Hand-written names for the regions the generator uses (ISO 3166-2 → English).
const REGION_NAMES: Record<string, string> = {
  'DE-BE': 'Berlin',
  'DE-BY': 'Bavaria',
  'US-CA': 'California',
  'US-NY': 'New York',
  'FR-IDF': 'Île-de-France',
  'GB-ENG': 'England',
};
const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

// What an empty value reads as, per dimension (Plausible's vocabulary).
const EMPTY: Record<string, string> = {
  'visit:source': 'Direct / None',
  'visit:referrer': 'Direct / None',
  'visit:channel': 'Direct',
};
const NOT_SET_DIMENSIONS = [
  'event:title',
  'visit:utm_source',
  'visit:utm_medium',
  'visit:utm_campaign',
  'visit:utm_term',
  'visit:utm_content',
  'visit:country',
  'visit:country_name',
  'visit:region',
  'visit:region_name',
  'visit:city',
  'visit:city_name',
  'visit:browser',
  'visit:browser_version',
  'visit:os',
  'visit:os_version',
  'visit:device',
  'visit:screen',
  'visit:language',
];
for (const d of NOT_SET_DIMENSIONS) EMPTY[d] = '(not set)';

const COLUMN: Record<string, keyof EventRow> = {
  'event:page': 'pathname',
  'event:title': 'title',
  'event:hostname': 'hostname',
  'event:name': 'name',
  'visit:source': 'source',
  'visit:referrer': 'referrer',
  'visit:channel': 'channel',
  'visit:utm_source': 'utmSource',
  'visit:utm_medium': 'utmMedium',
  'visit:utm_campaign': 'utmCampaign',
  'visit:utm_term': 'utmTerm',
  'visit:utm_content': 'utmContent',
  'visit:country': 'country',
  'visit:region': 'region',
  'visit:city': 'city',
  'visit:city_name': 'city',
  'visit:browser': 'browser',
  'visit:browser_version': 'browserVersion',
  'visit:os': 'os',
  'visit:os_version': 'osVersion',
  'visit:device': 'device',
  'visit:screen': 'screen',
  'visit:language': 'language',
};

interface Visit {
  start: number;
  end: number;
  pageviews: number;
  interactions: number;
  entry: string;
  exit: string;
  entryHost: string;
  exitHost: string;
}

function wallClock(ms: number, tz: string): { date: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

function timeValue(dim: string, ms: number, q: OracleQuery): string | number {
  const { date, hour } = wallClock(ms, q.timezone);
  const weekday = ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const unit = dim === 'time' ? q.timeUnit : dim.slice(5);
  switch (unit) {
    case 'hour':
      return `${date} ${String(hour).padStart(2, '0')}:00:00`;
    case 'day':
      return date;
    case 'week': {
      const monday = new Date(Date.parse(`${date}T12:00:00Z`) - (weekday - 1) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
      return monday < q.firstDate ? q.firstDate : monday;
    }
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'hour_of_day':
      return hour;
    case 'hour_block':
      return hour - (hour % 4);
    case 'day_of_week':
      return weekday;
  }
  throw new Error(`oracle: unknown time dimension ${dim}`);
}

function value(
  dim: string,
  e: EventRow,
  visits: Map<bigint, Visit>,
  q: OracleQuery,
  asPageview = false,
): string | number {
  if (dim.startsWith('time')) return timeValue(dim, e.ts, q);
  if (dim === 'event:name' && asPageview) return 'pageview';
  if (dim === 'visit:entry_page') return visits.get(e.sessionId)!.entry;
  if (dim === 'visit:exit_page') return visits.get(e.sessionId)!.exit;
  if (dim === 'visit:entry_page_hostname') return visits.get(e.sessionId)!.entryHost;
  if (dim === 'visit:exit_page_hostname') return visits.get(e.sessionId)!.exitHost;
  if (dim === 'visit:country_name') return e.country === '' ? '' : (countryNames.of(e.country) ?? e.country);
  if (dim === 'visit:region_name') return e.region === '' ? '' : (REGION_NAMES[e.region] ?? e.region);
  if (dim.startsWith('event:props:')) {
    const key = dim.slice('event:props:'.length);
    return e.props.find(([k]) => k === key)?.[1] ?? '(none)';
  }
  const column = COLUMN[dim];
  if (!column) throw new Error(`oracle: unknown dimension ${dim}`);
  return e[column] as string;
}

/** The value as a result row shows it. */
function shown(
  dim: string,
  e: EventRow,
  visits: Map<bigint, Visit>,
  q: OracleQuery,
  asPageview = false,
): string | number {
  const v = value(dim, e, visits, q, asPageview);
  return v === '' && EMPTY[dim] !== undefined ? EMPTY[dim] : v;
}

function matches(
  filter: unknown,
  e: EventRow,
  visits: Map<bigint, Visit>,
  q: OracleQuery,
  asPageview: boolean,
): boolean {
  const f = filter as unknown[];
  const op = f[0] as string;
  if (op === 'has_done' || op === 'has_not_done') {
    const done = doneVisits.get(f);
    if (!done) throw new Error('oracle: behavioural filter without its visits');
    return done.has(e.sessionId) === (op === 'has_done');
  }
  if (op === 'and') return (f[1] as unknown[]).every((g) => matches(g, e, visits, q, asPageview));
  if (op === 'or') return (f[1] as unknown[]).some((g) => matches(g, e, visits, q, asPageview));
  if (op === 'not') return !matches(f[1], e, visits, q, asPageview);
  const dim = f[1] as string;
  if (dim === 'event:goal') return goalsNamedBy(q.goals ?? [], f).some((g) => convertsGoal(g, e));
  const caseSensitive = (f[3] as { case_sensitive?: boolean } | undefined)?.case_sensitive ?? true;
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const raw = String(value(dim, e, visits, q, asPageview));
  const v = fold(raw);
  const values = (f[2] as string[]).map(String);
  const positive = op.replace(/_not$/, '');
  // Plausible: a missing property neither contains nor matches, nor fails to: only `is` and
  // `is_not` read it as "(none)".
  if (dim.startsWith('event:props:') && positive !== 'is') {
    const key = dim.slice('event:props:'.length);
    if (!e.props.some(([k]) => k === key)) return false;
  }
  let hit: boolean;
  if (positive === 'is') {
    // "(not set)" / "Direct / None" select the empty values too.
    const empty = EMPTY[dim];
    hit = values.some((x) => fold(x) === v || (raw === '' && empty !== undefined && fold(x) === fold(empty)));
  } else if (positive === 'contains') hit = values.some((x) => v.includes(fold(x)));
  else hit = values.some((x) => new RegExp(x, caseSensitive ? '' : 'i').test(raw));
  return op.endsWith('_not') ? !hit : hit;
}

const key = (dims: (string | number)[]) => JSON.stringify(dims);

/**
 * Plausible's behavioural filters: the visits holding an event of the range (not an engagement
 * ping) that matches the inner filter. Worked out per query for each such filter (expectedRows).
 */
const doneVisits = new WeakMap<object, Set<bigint>>();

/**
 * The visits with an event of `events` matching `inner`: any event but an engagement ping, or
 * a ping when `inner` names a scroll goal (then read as its page view by the other conditions).
 */
export function visitsDoing(
  inner: unknown,
  events: readonly EventRow[],
  q: Pick<OracleQuery, 'goals' | 'timezone' | 'timeUnit' | 'firstDate'>,
  visits = new Map<bigint, Visit>(),
): Set<bigint> {
  const scrollGoals = namesScrollGoal(inner, q.goals ?? []);
  const done = new Set<bigint>();
  for (const e of events) {
    const ping = e.name === 'engagement';
    if ((!ping || scrollGoals) && matches(inner, e, visits, q as OracleQuery, ping)) done.add(e.sessionId);
  }
  return done;
}

function namesScrollGoal(filter: unknown, goals: readonly OracleGoal[]): boolean {
  const f = filter as unknown[];
  if (f[0] === 'and' || f[0] === 'or') return (f[1] as unknown[]).some((g) => namesScrollGoal(g, goals));
  if (f[0] === 'not') return namesScrollGoal(f[1], goals);
  return f[1] === 'event:goal' && goalsNamedBy(goals, f).some((g) => g.scroll !== undefined);
}

function noteBehavioural(
  filters: readonly unknown[],
  events: readonly EventRow[],
  visits: Map<bigint, Visit>,
  q: OracleQuery,
): void {
  for (const filter of filters) {
    const f = filter as unknown[];
    if (f[0] === 'has_done' || f[0] === 'has_not_done') {
      doneVisits.set(f, visitsDoing(f[1], events, q, visits));
    } else if (f[0] === 'and' || f[0] === 'or') noteBehavioural(f[1] as unknown[], events, visits, q);
    else if (f[0] === 'not') noteBehavioural([f[1]], events, visits, q);
  }
}

const HOST_OF: Record<string, string> = {
  'visit:source': 'visit:entry_page_hostname',
  'visit:referrer': 'visit:entry_page_hostname',
  'visit:channel': 'visit:entry_page_hostname',
  'visit:utm_source': 'visit:entry_page_hostname',
  'visit:utm_medium': 'visit:entry_page_hostname',
  'visit:utm_campaign': 'visit:entry_page_hostname',
  'visit:utm_term': 'visit:entry_page_hostname',
  'visit:utm_content': 'visit:entry_page_hostname',
  'visit:entry_page': 'visit:entry_page_hostname',
  'visit:exit_page': 'visit:exit_page_hostname',
};
const RENAME: Record<string, string> = {
  'event:page': 'visit:entry_page',
  'event:hostname': 'visit:entry_page_hostname',
};

function renamed(filter: unknown, renames: Record<string, string>): unknown {
  const f = filter as unknown[];
  if (f[0] === 'and' || f[0] === 'or') return [f[0], (f[1] as unknown[]).map((g) => renamed(g, renames))];
  if (f[0] === 'not') return ['not', renamed(f[1], renames)];
  // What a visit did is not where it entered: a behavioural filter stays as it is.
  if (f[0] === 'has_done' || f[0] === 'has_not_done') return f;
  return [f[0], renames[f[1] as string] ?? f[1], ...f.slice(2)];
}

export function expectedRows(
  all: readonly EventRow[],
  siteId: number,
  q: OracleQuery,
): { rows: OracleRow[]; total: number } {
  const events = all.filter((e) => e.siteId === siteId && e.ts >= q.fromMs && e.ts < q.toMs);
  const visits = new Map<bigint, Visit>();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    let v = visits.get(e.sessionId);
    if (!v) {
      v = {
        start: Number.POSITIVE_INFINITY,
        end: Number.NEGATIVE_INFINITY,
        pageviews: 0,
        interactions: 0,
        entry: '',
        exit: '',
        entryHost: '',
        exitHost: '',
      };
      visits.set(e.sessionId, v);
    }
    // An engagement ping neither starts nor lengthens a visit.
    if (e.name === 'engagement') continue;
    v.start = Math.min(v.start, e.ts);
    v.end = Math.max(v.end, e.ts);
    if (e.name === 'pageview') {
      v.pageviews++;
      if (v.entry === '') {
        v.entry = e.pathname;
        v.entryHost = e.hostname;
      }
      v.exit = e.pathname;
      v.exitHost = e.hostname;
    } else if (e.interactive) v.interactions++;
  }
  noteBehavioural(q.filters, events, visits, q);
  // A hostname filter also applies to the host a visit began (ended) on, for visit dimensions.
  const filters = [...q.filters];
  for (const f of q.filters) {
    const leaf = f as unknown[];
    if (leaf[1] !== 'event:hostname') continue;
    const hosts = new Set(q.dimensions.flatMap((d) => (HOST_OF[d] ? [HOST_OF[d]] : [])));
    for (const h of hosts) filters.push([leaf[0], h, ...leaf.slice(2)]);
  }
  const pass = (e: EventRow, fs: unknown[], asPageview = false) =>
    fs.every((f) => matches(f, e, visits, q, asPageview));
  const dimsOf = (e: EventRow) => q.dimensions.map((d) => shown(d, e, visits, q));

  // Breakdown by page (host): visit rates by entry page (host), page filters on entry pages.
  const renames = Object.fromEntries(q.dimensions.flatMap((d) => (RENAME[d] ? [[d, RENAME[d]]] : [])));
  const isRenamed = Object.keys(renames).length > 0;
  const rateFilters = isRenamed ? filters.map((f) => renamed(f, renames)) : filters;
  const rateDims = q.dimensions.map((d) => renames[d] ?? d);
  // Bounce rate with top-level page filters: only over visits entering on such a page.
  const entryFilters = rateFilters.flatMap((f) => {
    const leaf = f as unknown[];
    return leaf[1] === 'event:page' ? [[leaf[0], 'visit:entry_page', ...leaf.slice(2)]] : [];
  });

  interface Acc {
    dims: (string | number)[];
    visitors: Set<bigint>;
    pageviews: number;
    events: number;
    visitSet: Set<bigint>;
    rateSet: Set<bigint>;
    engaged: Map<string, { scroll: number | null; ms: number | null; visitor: bigint }>;
  }
  const groups = new Map<string, Acc>();
  const newAcc = (dims: (string | number)[]): Acc => ({
    dims,
    visitors: new Set(),
    pageviews: 0,
    events: 0,
    visitSet: new Set(),
    rateSet: new Set(),
    engaged: new Map(),
  });
  const acc = (dims: (string | number)[]) => {
    const k = key(dims);
    let a = groups.get(k);
    if (!a) {
      a = newAcc(dims);
      groups.set(k, a);
    }
    return a;
  };
  const rateGroups = new Map<string, Acc>();
  const wants = (...ms: string[]) => ms.some((m) => q.metrics.includes(m));
  const wantsRates = wants('views_per_visit', 'bounce_rate', 'visit_duration');
  const allVisitors = new Set<bigint>();
  for (const e of events) {
    if (e.name === 'engagement') {
      if (wants('scroll_depth', 'time_on_page') && pass(e, filters, true)) {
        const a = acc(q.dimensions.map((d) => shown(d, e, visits, q, true)));
        const k = `${e.visitorId}|${e.pathname}`;
        const prev = a.engaged.get(k) ?? { scroll: null, ms: null, visitor: e.visitorId };
        if (e.scrollDepth !== null) prev.scroll = Math.max(prev.scroll ?? -1, e.scrollDepth);
        if (e.engagementMs !== null) prev.ms = (prev.ms ?? 0) + e.engagementMs;
        a.engaged.set(k, prev);
      }
      continue;
    }
    const visit = visits.get(e.sessionId)!;
    // A visit counts under its first event's time and its own entry/exit pages.
    const visitDims = (dims: string[]) =>
      dims.map((d) => (d.startsWith('time') ? timeValue(d, visit.start, q) : shown(d, e, visits, q)));
    if (isRenamed && wantsRates && pass(e, rateFilters)) {
      const dims = visitDims(rateDims);
      const k = key(dims);
      if (!rateGroups.has(k)) rateGroups.set(k, newAcc(dims));
      rateGroups.get(k)!.rateSet.add(e.sessionId);
    }
    if (!pass(e, filters)) continue;
    allVisitors.add(e.visitorId);
    if (wants('visitors', 'pageviews', 'events', 'percentage')) {
      const a = acc(dimsOf(e));
      a.visitors.add(e.visitorId);
      a.events++;
      if (e.name === 'pageview') a.pageviews++;
    }
    if (isRenamed ? wants('visits') : wants('visits') || wantsRates) {
      const a = acc(visitDims(q.dimensions));
      a.visitSet.add(e.sessionId);
      if (!isRenamed) a.rateSet.add(e.sessionId);
    }
  }
  if (isRenamed) {
    // Entry pages only add their rates to the rows the other counts found (unless there are none).
    const alone = !wants('visitors', 'pageviews', 'events', 'percentage', 'visits');
    for (const [k, r] of rateGroups) {
      const a = groups.get(k) ?? (alone ? acc(r.dims) : undefined);
      if (a) a.rateSet = r.rateSet;
    }
  }
  const anyEvent = new Map(events.map((e) => [e.sessionId, e]));
  const entered = (id: bigint) => entryFilters.every((f) => matches(f, anyEvent.get(id)!, visits, q, false));

  const rows = [...groups.values()].map((a) => {
    const nVisits = a.visitSet.size;
    const vs = [...a.rateSet].map((id) => visits.get(id)!);
    const pv = vs.reduce((s, v) => s + v.pageviews, 0);
    const bounceIds = [...a.rateSet].filter(entered);
    const bounces = bounceIds
      .map((id) => visits.get(id)!)
      .filter((v) => v.pageviews <= 1 && v.interactions === 0).length;
    const duration = vs.reduce((s, v) => s + (v.end - v.start), 0);
    const engaged = [...a.engaged.values()];
    const scrolls = engaged.filter((x) => x.scroll !== null).map((x) => x.scroll as number);
    const withMs = engaged.filter((x) => x.ms !== null);
    const msVisitors = new Set(withMs.map((x) => x.visitor)).size;
    const totalMs = withMs.reduce((s, x) => s + (x.ms as number), 0);
    const exact: Record<string, number | null> = {
      visitors: a.visitors.size,
      pageviews: a.pageviews,
      events: a.events,
      percentage: allVisitors.size ? (100 * a.visitors.size) / allVisitors.size : 0,
      visits: nVisits,
      views_per_visit: vs.length ? pv / vs.length : 0,
      bounce_rate: bounceIds.length ? (100 * bounces) / bounceIds.length : 0,
      visit_duration: vs.length ? duration / vs.length / 1000 : 0,
      scroll_depth: scrolls.length ? scrolls.reduce((s, x) => s + x, 0) / scrolls.length : null,
      time_on_page: msVisitors ? totalMs / msVisitors / 1000 : null,
    };
    return { dims: a.dims, exact };
  });
  // With no dimensions there is always exactly one row.
  if (q.dimensions.length === 0 && rows.length === 0) {
    rows.push({
      dims: [],
      exact: {
        visitors: 0,
        pageviews: 0,
        events: 0,
        percentage: 0,
        visits: 0,
        views_per_visit: 0,
        bounce_rate: 0,
        visit_duration: 0,
        scroll_depth: null,
        time_on_page: null,
      },
    });
  }
  const cmp = (x: unknown, y: unknown): number => {
    if (x === y) return 0;
    if (x === null) return 1; // NULLs last, as DuckDB orders them
    if (y === null) return -1;
    return (x as number | string) < (y as number | string) ? -1 : 1;
  };
  const order: [(r: (typeof rows)[number]) => unknown, number][] = [];
  const col = (name: string) => {
    const i = q.dimensions.indexOf(name);
    return i >= 0 ? (r: (typeof rows)[number]) => r.dims[i] : (r: (typeof rows)[number]) => r.exact[name];
  };
  if (q.orderBy) for (const [n, dir] of q.orderBy) order.push([col(n), dir === 'asc' ? 1 : -1]);
  else {
    const t = q.dimensions.find((d) => d.startsWith('time'));
    if (t) order.push([col(t), 1]);
    else if (q.dimensions.length) order.push([col(q.metrics[0]!), -1]);
  }
  for (const d of q.dimensions) order.push([col(d), 1]);
  rows.sort((r1, r2) => {
    for (const [get, dir] of order) {
      const c = cmp(get(r1), get(r2));
      if (c !== 0) return dir === -1 && get(r1) !== null && get(r2) !== null ? -c : c;
    }
    return 0;
  });
  const round: Record<string, (v: number) => number> = {
    views_per_visit: (v) => Math.round(v * 100) / 100,
    percentage: (v) => Math.round(v * 10) / 10,
  };
  const offset = q.offset ?? 0;
  const shaped = rows.slice(offset, offset + (q.limit ?? 10_000)).map((r) => ({
    dimensions: r.dims,
    metrics: q.metrics.map((m) => {
      const v = r.exact[m]!;
      return v === null ? null : (round[m] ?? Math.round)(v);
    }),
  }));
  return { rows: shaped, total: rows.length };
}
