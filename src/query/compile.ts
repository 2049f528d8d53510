// A validated Query + its resolved range → one SQL statement, built from up to four partial
// queries over the range's events (see event-scope.ts), joined on the dimensions:
//   ev  per event: visitors, pageviews, events (engagement events excluded);
//   se  per visit: the visits holding at least one event that matches the filters, with
//       their page views, bounce and duration — the way Plausible counts visits;
//   sv  in a breakdown by page (or hostname) only: the visits that saw each page, while se
//       groups visits by the page they entered on (see pageRenames below);
//   en  engagement events: scroll depth and time on page.
// Time dimensions place an event at its own time and a visit at its first event.

import type { Goal } from '../store/goals.js';
import { assemble, type CompiledQuery, type Part } from './assemble.js';
import { rolledCounts, rolledEngagement, rollupRows, summedOnce } from './compile-rollup.js';
import type { ResolvedRange } from './date-range.js';
import type { Dialect } from './dialect.js';
import { type DimensionSource, dimensionSource } from './dimensions.js';
import { eventScope, filterDimensions } from './event-scope.js';
import { METRIC_DEFS, type MetricStage } from './metrics.js';
import { type Filter, isLeaf, type LeafFilter, type Query, type TimeUnit } from './model.js';
import type { RollupCut } from './rollup-plan.js';
import { pageRenames, renameFilters, visitHostFilters } from './visit-filters.js';

export interface CompileInput {
  query: Query;
  siteKey: number;
  range: ResolvedRange;
  /** What the `time` dimension stands for in this range. */
  timeUnit: TimeUnit;
  /** Filters added by the caller (e.g. a comparison restricted to the main result's rows). */
  extraFilters?: Filter[];
  /** Without pagination (comparison queries fetch every row they match). */
  unpaged?: boolean;
  /** The site's goals, when a goal filter or dimension or a behavioural filter names goals. */
  goals?: readonly Goal[];
  /** Rolled salt days to read from the rollups (rollup-plan.ts); the events give the rest. */
  rollup?: RollupCut;
  dialect: Dialect;
}

export type { CompiledQuery } from './assemble.js';

export function compileQuery(input: CompileInput): CompiledQuery {
  const { query, range } = input;
  const given = [...query.filters, ...(input.extraFilters ?? [])];
  const filters = [...given, ...visitHostFilters(given, query.dimensions)];
  const stages = new Set<MetricStage>(query.metrics.map((m) => METRIC_DEFS[m].stage));
  // Visit rates (bounce rate, duration, views per visit) in a breakdown by page are over the
  // visits that entered on the page, and a page filter then selects entry pages (Plausible).
  const renames = pageRenames(query.dimensions);
  const seFilters = renames.size > 0 ? renameFilters(filters, renames) : filters;
  // With a top-level page filter, bounce rate is over the visits that entered on such a page.
  const entryFilters: LeafFilter[] = seFilters.flatMap((f) =>
    isLeaf(f) && f.dimension === 'event:page' ? [{ ...f, dimension: 'visit:entry_page' }] : [],
  );
  // Entry pages (hosts) are read per visit; renamed filters read them per event.
  const visitFacts = [...renames.values(), ...(entryFilters.length > 0 ? ['visit:entry_page'] : [])];
  const renamedFilterDims = renames.size > 0 ? filterDimensions(seFilters) : [];
  const scope = eventScope({
    siteKey: input.siteKey,
    timezone: range.timezone,
    firstDate: range.firstDate,
    fromMs: range.fromMs,
    toMs: range.toMs,
    dimensions: query.dimensions,
    filters,
    timeUnit: input.timeUnit,
    extraColumns: stages.has('en') ? ['pathname', 'scroll_depth', 'engagement_ms'] : [],
    extraDimensions: stages.has('se') ? renamedFilterDims : [],
    visitFacts: stages.has('se') ? visitFacts : [],
    goals: input.goals,
    edgeOf: input.rollup,
    dialect: input.dialect,
  });
  const { params, ctes, src } = scope;
  const dims = query.dimensions.map((name) => dimensionSource(name) as DimensionSource);
  const dimCols = dims.map((_, i) => `d${i}`);
  const dimSelect = (exprs: string[]) => exprs.map((x, i) => `${x} AS d${i}, `).join('');
  const eventDims = dims.map((d) => scope.dimension(d));
  // What a result row shows (empty values read "(not set)" …); filters read the stored values.
  const shownDims = dims.map((d, i) => scope.shown(d, eventDims[i]!));
  /** Partial queries in join order; `left` ones only add columns to the rows of those before. */
  const parts: Part[] = [];

  // The dashboard's top row (no dimension, no filter, visit metrics too): every event count
  // also follows from the visits, which saves a second pass over the events.
  const fromVisits = stages.has('se') && dims.length === 0 && filters.length === 0;
  // The rollup path (rollup-plan.ts): the events in `src` are only the edge's, and each partial
  // query adds the rolled days' rows to theirs.
  const rows = input.rollup
    ? rollupRows(input.rollup, scope, dims, input.siteKey, range.firstDate)
    : undefined;
  // Top pages with time on page and scroll depth read rollup_pages for both partial queries:
  // summed once (at 12 months, 726 k page-day rows).
  const rolled = rows && stages.has('ev') && stages.has('en') ? summedOnce(rows, dimCols, ctes) : rows;
  if (stages.has('ev') && rolled) {
    ctes.push(
      ...rolledCounts(
        `SELECT ${dimSelect(shownDims)}count(DISTINCT visitor_id) AS visitors, ` +
          `count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events ` +
          `FROM ${src} WHERE name <> 'engagement' AND ${scope.filter()} GROUP BY ALL`,
        rolled,
        dimCols,
      ),
    );
    parts.push({ name: 'ev' });
  } else if (stages.has('ev')) {
    const filter = scope.filter();
    if (fromVisits) scope.sessions();
    ctes.push(
      fromVisits
        ? 'ev AS (SELECT count(DISTINCT visitor_id) AS visitors, coalesce(sum(pageviews), 0) AS pageviews, ' +
            'coalesce(sum(events), 0) AS events FROM s WHERE events > 0)'
        : `ev AS (SELECT ${dimSelect(shownDims)}count(DISTINCT visitor_id) AS visitors, ` +
            `count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events ` +
            `FROM ${src} WHERE name <> 'engagement' AND ${filter} GROUP BY ALL)`,
    );
    parts.push({ name: 'ev' });
    if (query.metrics.includes('percentage')) {
      ctes.push(
        `total AS (SELECT count(DISTINCT visitor_id) AS total_visitors FROM ${src} WHERE name <> 'engagement' AND ${filter})`,
      );
    }
  }
  if (stages.has('se')) {
    /**
     * One row per value of the dimensions: the visits holding an event that matches
     * `visitFilters`, with `stats` over them. A visit counts under its first event's time and
     * its own visit facts (entry page…); under event-level values (page, source…) through
     * the events that matched.
     */
    const visitsBy = (name: string, visitFilters: readonly Filter[], renamed: boolean, stats: string) => {
      const sources = renamed ? query.dimensions.map((d) => dimensionSource(renames.get(d) ?? d)!) : dims;
      const x = `x_${name}`;
      const carried = sources.flatMap((d, i) => (d.from === 'time' || d.from === 'session' ? [] : [i]));
      const groupDims = sources.map((d, i) => {
        if (d.from === 'time') return scope.time(d, scope.localTime('s.start_ts'));
        if (d.from === 'session') return `s.${d.field}`;
        return `${x}.d${i}`;
      });
      if (carried.length === 0 && visitFilters.length === 0) {
        // Every visit with an event other than engagement counts, under its own (visit/time) values.
        scope.sessions();
        return `${name} AS (SELECT ${dimSelect(groupDims)}${stats} FROM s WHERE s.events > 0 GROUP BY ALL)`;
      }
      // Which visits count, and under which event-level dimension values: those with a matching event.
      ctes.push(
        `${x} AS (SELECT DISTINCT ${carried.map((i) => `${shownDims[i]} AS d${i}, `).join('')}session_id ` +
          `FROM ${src} WHERE name <> 'engagement' AND ${scope.filter(false, visitFilters)})`,
      );
      scope.sessions(`session_id IN (SELECT session_id FROM ${x})`);
      return (
        `${name} AS (SELECT ${dimSelect(groupDims)}${stats} ` +
        `FROM ${x} JOIN s USING (session_id) GROUP BY ALL)`
      );
    };
    const renamed = renames.size > 0;
    const wantsRates = query.metrics.some((m) =>
      ['views_per_visit', 'bounce_rate', 'visit_duration'].includes(m),
    );
    // sv and se both join `s`, which holds only the first one's visits when it is restricted:
    // their visits differ only when a filter was renamed, and a renamed filter reads entry
    // pages per event, for which `s` was built whole (see event-scope.ts).
    if (renamed && query.metrics.includes('visits')) {
      ctes.push(visitsBy('sv', filters, false, 'count(*) AS visits'));
      parts.push({ name: 'sv' });
    }
    if (!renamed || wantsRates) {
      // Compiled only here: its bound values would be unused parameters without `se`, which
      // DuckDB refuses (a breakdown by hostname of visits alone, with a page filter).
      const entered = entryFilters.length > 0 ? scope.filter(false, entryFilters) : 'TRUE';
      const rates = visitRates(input.dialect, entered);
      ctes.push(visitsBy('se', seFilters, renamed, renamed ? rates : `count(*) AS visits, ${rates}`));
      // Entry pages only add their rates to the pages the other partial queries found.
      parts.push({ name: 'se', left: renamed && parts.length > 0 });
    }
  }
  if (stages.has('en')) {
    // Filters and dimensions see an engagement event as the page view it measures.
    const enDims = dims.map((d) => scope.shown(d, scope.dimension(d, true)));
    // Scroll depth is per visitor and page. Grouped by page already (the Pages panel), a row
    // of en_visitor is one visitor of its group: count(*) counts them without a distinct set
    // (statement CPU at 10 M events over a year: 2.8 → 1.8 s).
    const byPage = enDims.includes('pathname');
    ctes.push(
      `en_visitor AS (SELECT ${dimSelect(enDims)}visitor_id${byPage ? '' : ', pathname'}, max(scroll_depth) AS max_scroll, ` +
        `sum(engagement_ms) AS engaged_ms FROM ${src} WHERE name = 'engagement' AND ${scope.filter(true)} GROUP BY ALL)`,
      ...(rolled
        ? rolledEngagement('en_visitor', rolled, dimCols)
        : [
            `en AS (SELECT ${dimCols.map((c) => `${c}, `).join('')}avg(max_scroll) AS scroll_depth, ` +
              `sum(engaged_ms) AS engaged_ms, count(${byPage ? '*' : 'DISTINCT visitor_id'}) FILTER (WHERE engaged_ms IS NOT NULL) AS engaged_visitors ` +
              `FROM en_visitor GROUP BY ALL)`,
          ]),
    );
    parts.push({ name: 'en' });
  }

  return assemble(query, input.unpaged ?? false, { params, ctes, parts, dimCols });
}

/** The columns visit rates are formed from (metrics.ts), over `s` rows; bounces among those `entered`. */
export function visitRates(dialect: Dialect, entered: string): string {
  const bounce = 's.pageviews <= 1 AND s.interactions = 0';
  return (
    `count(*) AS stat_visits, sum(s.pageviews) AS visit_pageviews, ` +
    `sum(${dialect.millisBetween('s.start_ts', 's.end_ts')}) AS duration_ms, ` +
    `count(*) FILTER (WHERE ${entered}) AS bounce_visits, ` +
    `count(*) FILTER (WHERE ${entered} AND ${bounce}) AS bounces`
  );
}
