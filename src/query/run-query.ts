// Runs a validated Query against a store: resolves the range in the site's time zone, compiles,
// runs (bounded by a timeout), runs the comparison when asked, and shapes Plausible's response.
import { FootfallError, footfallError } from '../errors.js';
import type { Funnel } from '../store/funnels.js';
import type { Goal } from '../store/goals.js';
import type { ImportedStore } from '../store/imported.js';
import { markLight } from '../store/query-owner.js';
import type { QueryStore, Site } from '../store/types.js';
import { attachComparisons, fillSeries, restrictTo } from './comparisons.js';
import { type CompiledQuery, type CompileInput, compileQuery } from './compile.js';
import { compileVisitsQuery } from './compile-visits.js';
import {
  assertBucketLimit,
  autoUnit,
  comparisonRange,
  type ResolvedRange,
  resolveRange,
  timeLabels,
} from './date-range.js';
import { type Dialect, type Engine, Params } from './dialect.js';
import { clickhouseDialect } from './dialects/clickhouse.js';
import { duckdbDialect } from './dialects/duckdb.js';
import { isBucketDimension, isTimeDimension } from './dimensions.js';
import { geoNameRows } from './geo-names.js';
import { goalFilters, needsGoals, usesGoals } from './goal-rules.js';
import { compileGoalQuery, goalRollupKeys, selectedGoals } from './goals.js';
import {
  IMPORTS_WARNINGS,
  type ImportsPlan,
  type ImportsSkipReason,
  importedRows,
  importsInRange,
  mergeRows,
  nativeMetrics,
  planImports,
} from './imported.js';
import {
  type DateRangeInput,
  type Filter,
  GOAL_DIMENSION,
  innerFilters,
  isLeaf,
  type Metric,
  type Query,
  type QueryResult,
  type TimeUnit,
} from './model.js';
import { invalidFilter } from './parse.js';
import { planQuery, type QueryPath } from './plan.js';
import { planRevenue, shapeRevenue, wantsRevenue } from './revenue.js';
import { findCut, type RollupCut, type RollupFamily, rollupFamily, visitRollupDim } from './rollup-plan.js';
import { defaultOrder, type Raw, shapeRow } from './shape-rows.js';
import { prepareOffsetSteps } from './zone-offsets.js';
import { startOfLocalDay, toZonedIso } from './zoned-time.js';

export interface QueryEngineDeps {
  store: QueryStore;
  /** The site a `site_id` (domain) names. */
  site: (domain: string) => Site | undefined;
  /** A site's goals (for event:goal); none when not given. */
  goals?: (domain: string) => Promise<Goal[]>;
  /** A site's saved funnels (for /api/v2/funnel's funnel_id); none when not given. */
  funnels?: (domain: string) => Promise<Funnel[]>;
  now: () => number;
  /** Longest a statement may run before it is interrupted (default 10 s). */
  timeoutMs?: number;
  /**
   * false: every statement reads events, neither the visits table nor the rollups (tests
   * compare the planner's paths with this one).
   */
  visitsTable?: boolean;
  /** Imported daily aggregates, merged in when a query says include.imports (imported.ts). */
  imported?: ImportedStore;
  /** Told the path each Stats API statement took (tests check every path is exercised). */
  onPlan?: (path: QueryPath) => void;
}

export interface QueryEngine {
  query(q: Query): Promise<QueryResult>;
  /** The site or FOOTFALL_ERR_SITE_NOT_FOUND. */
  site(domain: string): Site;
  /** Runs SQL built by src/query with the engine's timeout and names table in place. */
  run(sql: string, params: (string | number | boolean | null)[]): Promise<Record<string, unknown>[]>;
  validatePatterns(filters: readonly Filter[]): Promise<void>;
  /**
   * A date range in the site's time zone (`all` starts at the site's first event, or at
   * `earliestMs` when that is earlier).
   */
  resolve(site: Site, dateRange: DateRangeInput, earliestMs?: number): Promise<ResolvedRange>;
  /** When the site's first stored event happened (UTC ms); undefined when it has none. */
  firstEventMs(site: Site): Promise<number | undefined>;
  /**
   * The rolled salt days a statement of `family` over the range can read (rollup-plan.ts);
   * undefined on ClickHouse, with the planner off (visitsTable: false), or with too few.
   */
  rollupCut(
    site: Site,
    range: ResolvedRange,
    family: { family: RollupFamily },
  ): Promise<RollupCut | undefined>;
  /** The site's goals and saved funnels (none where the engine was given no way to read them). */
  goals(domain: string): Promise<Goal[]>;
  funnels(domain: string): Promise<Funnel[]>;
  dialect: Dialect;
  /** The engine's clock (UTC ms): what "today" is for ranges. */
  now(): number;
}

/** What include.imports merges: the table the query reads, from the store that holds it. */
interface ImportsMerge {
  plan: ImportsPlan;
  store: ImportedStore;
}

const DIALECTS: Readonly<Record<Engine, Dialect>> = { duckdb: duckdbDialect, clickhouse: clickhouseDialect };

export function createQueryEngine(deps: QueryEngineDeps): QueryEngine {
  const dialect = DIALECTS[deps.store.engine];
  const timeoutMs = deps.timeoutMs ?? 10_000;
  let namesReady: Promise<void> | undefined;

  const ensureNames = () => {
    namesReady ??= (async () => {
      const rows = geoNameRows().map((r) => ({ k: r.kind, c: r.code, n: r.name }));
      const params = new Params(dialect);
      const sql = dialect.createNamesTable(params.add(JSON.stringify(rows)));
      await deps.store.runQuery(sql, params.values, { timeoutMs });
    })();
    namesReady.catch(() => {
      namesReady = undefined;
    });
    return namesReady;
  };

  const run = async (sql: string, params: (string | number | boolean | null)[]) => {
    await ensureNames();
    return deps.store.runQuery(dialect.statement(sql), params, { timeoutMs });
  };

  const site = (domain: string): Site => {
    const s = deps.site(domain);
    if (!s) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    return s;
  };

  const validatePatterns = async (filters: readonly Filter[]) => {
    const patterns: { field: string; filter: Filter; pattern: string }[] = [];
    const walk = (fs: readonly Filter[], field: string) =>
      fs.forEach((f, i) => {
        const here = `${field}[${i}]`;
        if (!isLeaf(f)) walk(innerFilters(f), `${here}[1]`);
        else if (f.op === 'matches' || f.op === 'matches_not') {
          for (const v of f.values) patterns.push({ field: `${here}[2]`, filter: f, pattern: v });
        }
      });
    walk(filters, 'filters');
    for (const p of patterns) {
      const params = new Params(dialect);
      const sql = `SELECT ${dialect.regexMatch("''", params.add(p.pattern))} AS m`;
      try {
        await deps.store.runQuery(dialect.statement(sql), params.values, { timeoutMs });
      } catch (err) {
        // A timeout or a full query line is not the pattern's fault: pass it on as it is.
        if (err instanceof FootfallError) throw err;
        const why = dialect.errorText(err instanceof Error ? err.message : String(err));
        invalidFilter(p.field, filterJson(p.filter), `not a valid RE2 regular expression (${why})`);
      }
    }
  };

  const firstEventMs = async (s: Site): Promise<number | undefined> => {
    const params = new Params(dialect);
    // `n`, not a NULL minimum, says there are none: ClickHouse's min over no rows is 1970.
    const rows = await run(
      `SELECT ${dialect.epochMs('min(ts)')} AS first, count(*) AS n FROM events WHERE site_id = ${params.add(s.id)}`,
      params.values,
    );
    const first = rows[0]?.first;
    return Number(rows[0]?.n ?? 0) === 0 || first === null ? undefined : Number(first);
  };

  const resolve = async (s: Site, dateRange: DateRangeInput, earliestMs?: number): Promise<ResolvedRange> => {
    let first: number | undefined;
    if (dateRange === 'all') {
      first = await firstEventMs(s);
      // Imported days (include.imports) widen "all" back to the first of them.
      if (earliestMs !== undefined && (first === undefined || earliestMs < first)) first = earliestMs;
    }
    return resolveRange(dateRange, s.timezone, deps.now(), first);
  };

  /**
   * The planner's path for a statement (plan.ts). A statement that reads the visit-constant
   * columns takes the visits table only where they were uniform over every visit it can see.
   */
  async function choosePath(q: Query, s: Site, r: ResolvedRange, extra?: Filter[]): Promise<QueryPath> {
    if (deps.visitsTable === false) return 'events';
    const filters = [...q.filters, ...(extra ?? [])];
    const plan = planQuery({ metrics: q.metrics, dimensions: q.dimensions, filters, engine: dialect.engine });
    // The visits table's statements are the cheap ones: they go before heavier requests (query-gate.ts).
    const visits = () => {
      markLight();
      return plan.path;
    };
    if (plan.path === 'events') return plan.path;
    if (!plan.readsConstants) return visits();
    const params = new Params(dialect);
    const rows = await run(
      `SELECT count(*) AS n FROM visits WHERE site_id = ${params.add(s.id)} AND NOT uniform ` +
        `AND last_ts >= ${dialect.timestamp(params.add(new Date(r.fromMs).toISOString()))} ` +
        `AND first_ts < ${dialect.timestamp(params.add(new Date(r.toMs).toISOString()))}`,
      params.values,
    );
    return Number(rows[0]?.n ?? 0) === 0 ? visits() : 'events';
  }

  /**
   * The rolled salt days a statement of `family` reads from the rollups (rollup-plan.ts), if
   * any: they are the cheap part of it, so the request goes before heavier ones (query-gate.ts).
   */
  async function cutFor(
    s: Site,
    r: ResolvedRange,
    family: Parameters<typeof findCut>[4],
  ): Promise<RollupCut | undefined> {
    if (deps.visitsTable === false) return undefined;
    const cut = await findCut(run, dialect, s, r, family);
    if (cut) {
      markLight();
      deps.onPlan?.('rollup');
    }
    return cut;
  }

  // An engine given no way to read goals knows none.
  const goals = async (domain: string): Promise<Goal[]> => (await deps.goals?.(domain)) ?? [];

  return {
    dialect,
    site,
    run,
    validatePatterns,
    resolve,
    goals,
    funnels: async (domain) => (await deps.funnels?.(domain)) ?? [],
    firstEventMs,
    rollupCut: cutFor,
    now: deps.now,
    async query(q) {
      const s = site(q.siteId);
      await validatePatterns(q.filters);
      // include.imports: the site's imports widen "all" back to their first day.
      const imports = q.include.imports ? ((await deps.imported?.listImports(s.id)) ?? []) : [];
      const firstImported = imports.reduce<string | undefined>(
        (first, i) =>
          i.firstDate !== null && (first === undefined || i.firstDate < first) ? i.firstDate : first,
        undefined,
      );
      const range = await resolve(
        s,
        q.dateRange,
        firstImported === undefined ? undefined : startOfLocalDay(firstImported, s.timezone),
      );
      const unit = autoUnit(range);
      const timeDim = q.dimensions.find(isBucketDimension);
      const bucketUnit = timeDim ? unitOf(timeDim, unit) : undefined;
      const cRange = q.include.comparisons ? comparisonRange(range, q.include.comparisons) : undefined;
      let importsPlan: ImportsPlan | undefined;
      let skipped: ImportsSkipReason | undefined;
      if (q.include.imports) {
        const planned = imports.length === 0 ? { skip: 'no_imported_data' as const } : planImports(q, unit);
        if ('skip' in planned) skipped = planned.skip;
        else if (!importsInRange(imports, range) && !(cRange && importsInRange(imports, cRange)))
          skipped = 'out_of_range';
        else importsPlan = planned;
      }
      if (bucketUnit) {
        assertBucketLimit(bucketUnit, range);
        if (cRange) assertBucketLimit(bucketUnit, cRange, 'include.comparisons');
      }
      await prepareOffsetSteps(s.timezone, range.fromMs, range.toMs);
      if (cRange) await prepareOffsetSteps(s.timezone, cRange.fromMs, cRange.toMs);
      // The order is explicit from here on, so the response can echo it and be posted back.
      const ordered: Query = { ...q, orderBy: q.orderBy ?? defaultOrder(q) };
      // Queries with goals read the site's goals and take their own path (goals.ts).
      const siteGoals = needsGoals(q) ? await goals(s.domain) : undefined;
      const compile = async (query: Query, r: ResolvedRange, extra?: Filter[], unpaged?: boolean) => {
        const input: CompileInput = {
          query,
          siteKey: s.id,
          range: r,
          timeUnit: unit,
          extraFilters: extra,
          unpaged,
          goals: siteGoals,
          dialect,
        };
        const filters = [...query.filters, ...(extra ?? [])];
        if (siteGoals && usesGoals(query)) {
          // A breakdown by goal alone reads the goals' rolled days (goals.ts).
          const keys = goalRollupKeys(query, filters, siteGoals);
          const rollup = keys && (await cutFor(s, r, { family: 'goals', goals: keys }));
          if (!rollup) deps.onPlan?.('events');
          return compileGoalQuery({ ...input, goals: siteGoals, ...(rollup ? { rollup } : {}) });
        }
        const family = rollupFamily(query, filters, unit);
        const rollup = family && (await cutFor(s, r, family));
        if (rollup) return compileQuery({ ...input, rollup });
        const path = await choosePath(query, s, r, extra);
        // What the visits table answers without filters, the rolled days answer from their
        // rollup_visits rows (rollup-plan.ts).
        const dim = path === 'visits' ? visitRollupDim(query, filters) : undefined;
        const visits = dim !== undefined && (await cutFor(s, r, { family: 'visits', dim }));
        if (visits) return compileVisitsQuery({ ...input, rollup: visits });
        deps.onPlan?.(path);
        return path === 'events' ? compileQuery(input) : compileVisitsQuery(input);
      };

      // A compared time series lists every bucket, empty ones too: fetched whole (its rows are
      // bounded by the bucket limit), filled and paged here.
      const series = cRange !== undefined && q.dimensions.length === 1 && bucketUnit !== undefined;
      // Merged with imports, the tracked rows are fetched whole (and the rates' visits with
      // them), then merged, ordered and paged in imported.ts.
      const main = importsPlan
        ? await compile({ ...ordered, metrics: nativeMetrics(ordered) }, range, undefined, true)
        : await compile(ordered, range, undefined, series);
      // A comparison of a breakdown needs the main rows first (to fetch only those); one
      // without non-time dimensions runs alongside the main query.
      const alongside = cRange && q.dimensions.every((d) => isTimeDimension(d));
      const compareAlongside = alongside
        ? await compile(
            importsPlan ? { ...ordered, metrics: nativeMetrics(ordered) } : ordered,
            cRange,
            undefined,
            true,
          )
        : undefined;
      let [rows, earlyComparison] = await Promise.all([
        run(main.sql, main.params),
        compareAlongside ? run(compareAlongside.sql, compareAlongside.params) : undefined,
      ]);
      // A compared series is filled and paged below, so it is merged whole.
      const merge = importsPlan && deps.imported ? { plan: importsPlan, store: deps.imported } : undefined;
      if (merge) {
        rows = await withImports(ordered, s, range, merge, rows, !series);
        if (earlyComparison)
          earlyComparison = await withImports(ordered, s, cRange!, merge, earlyComparison, false);
      }
      const labels =
        bucketUnit && (series || cRange || q.include.timeLabels) ? timeLabels(bucketUnit, range) : [];
      let results = rows.map((r) => shapeRow(q, r));
      let totalRows = rows.length > 0 ? Number(rows[0]!.total_rows) : 0;
      if (series) {
        results = fillSeries(ordered, results, labels);
        totalRows = results.length;
        results = results.slice(q.pagination.offset, q.pagination.offset + q.pagination.limit);
      }

      if (cRange) {
        let cRows = earlyComparison;
        if (!cRows) cRows = await compareBreakdown(ordered, s, cRange, rows, compile, merge);
        const cLabels = bucketUnit ? timeLabels(bucketUnit, cRange, labels.length) : [];
        attachComparisons(
          q,
          results,
          cRows.map((r) => shapeRow(q, r)),
          labels,
          cLabels,
        );
      }

      const meta: QueryResult['meta'] = {};
      if (siteGoals && wantsRevenue(q)) {
        const plan = planRevenue(
          selectedGoals(siteGoals, goalFilters(q.filters)),
          q.dimensions.includes(GOAL_DIMENSION),
        );
        const warnings = shapeRevenue(q, plan, results, Number(rows[0]?.rev_other_total ?? 0));
        if (warnings) meta.metric_warnings = warnings;
      }
      if (q.include.timeLabels && bucketUnit) meta.time_labels = labels;
      if (q.include.totalRows) meta.total_rows = totalRows;
      if (q.include.imports) {
        meta.imports_included = importsPlan !== undefined;
        if (skipped) {
          meta.imports_skip_reason = skipped;
          const warning = IMPORTS_WARNINGS[skipped];
          if (warning) meta.imports_warning = warning;
        }
      }
      return { results, meta, query: echo(ordered, s, range) };
    },
  };

  /** The tracked rows (unpaged) merged with the imported ones, ordered (and paged). */
  async function withImports(
    q: Query,
    s: Site,
    range: ResolvedRange,
    { plan, store }: ImportsMerge,
    rows: Raw[],
    paged: boolean,
  ): Promise<Raw[]> {
    const unit = autoUnit(range);
    const percentage = q.metrics.includes('percentage');
    const totalQuery: Query = { ...q, metrics: ['visitors'], dimensions: [], orderBy: undefined };
    const [imported, nativeTotal, importedTotal] = await Promise.all([
      importedRows(store, q, plan, s.id, range),
      percentage
        ? (() => {
            const c = compileQuery({
              query: totalQuery,
              siteKey: s.id,
              range,
              timeUnit: unit,
              unpaged: true,
              dialect,
            });
            return run(c.sql, c.params);
          })()
        : undefined,
      percentage ? importedRows(store, q, plan, s.id, range, false) : undefined,
    ]);
    return mergeRows(
      q,
      q.orderBy ?? defaultOrder(q),
      rows,
      imported,
      {
        native: Number(nativeTotal?.[0]?.visitors ?? 0),
        imported: Number(importedTotal?.[0]?.visitors ?? 0),
      },
      paged,
    );
  }

  /**
   * The compared period's rows for the main rows of a breakdown. `percentage` there is of all
   * the visitors of that period, as in the main period — not of the rows the restriction keeps.
   */
  async function compareBreakdown(
    q: Query,
    s: Site,
    cRange: ResolvedRange,
    rows: Raw[],
    compile: (query: Query, r: ResolvedRange, extra?: Filter[], unpaged?: boolean) => Promise<CompiledQuery>,
    merge: ImportsMerge | undefined,
  ): Promise<Raw[]> {
    if (rows.length === 0) return []; // nothing to compare with
    if (merge) {
      // The compared period's imported rows are merged whole; only the main rows' values are
      // looked up (attachComparisons), and percentage is of all its visitors, imported too.
      const comp = await compile({ ...q, metrics: nativeMetrics(q) }, cRange, restrictTo(q, rows), true);
      return withImports(q, s, cRange, merge, await run(comp.sql, comp.params), false);
    }
    const withPercentage = q.metrics.includes('percentage');
    const metrics: Metric[] =
      withPercentage && !q.metrics.includes('visitors') ? [...q.metrics, 'visitors'] : q.metrics;
    const comp = await compile({ ...q, metrics }, cRange, restrictTo(q, rows), true);
    const total = withPercentage
      ? await compile(
          { ...q, metrics: ['visitors'], dimensions: [], orderBy: undefined },
          cRange,
          undefined,
          true,
        )
      : undefined;
    const [cRows, totalRows] = await Promise.all([
      run(comp.sql, comp.params),
      total ? run(total.sql, total.params) : undefined,
    ]);
    if (totalRows) {
      const all = Number(totalRows[0]?.visitors ?? 0);
      for (const r of cRows) r.percentage = all > 0 ? (100 * Number(r.visitors)) / all : 0;
    }
    return cRows;
  }
}

function unitOf(dimension: string, auto: TimeUnit): TimeUnit {
  return dimension === 'time' ? auto : (dimension.slice(5) as TimeUnit);
}

function echo(q: Query, site: Site, range: ResolvedRange): Record<string, unknown> {
  const include: Record<string, unknown> = {};
  if (q.include.timeLabels) include.time_labels = true;
  if (q.include.totalRows) include.total_rows = true;
  if (q.include.imports) include.imports = true;
  const c = q.include.comparisons;
  if (c)
    include.comparisons = c.mode === 'custom' ? { mode: c.mode, date_range: c.dateRange } : { mode: c.mode };
  return {
    site_id: site.domain,
    metrics: q.metrics,
    // Inclusive ends, written so that posting them back selects the same instants (endAfter):
    // a range ending on a whole second ends with that second, any other with its millisecond.
    date_range: [
      toZonedIso(range.fromMs, range.timezone),
      range.toMs % 1000 === 0
        ? toZonedIso(range.toMs - 1000, range.timezone)
        : toZonedIso(range.toMs - 1, range.timezone, true),
    ],
    filters: q.filters.map(filterJson),
    dimensions: q.dimensions,
    order_by: q.orderBy ?? null,
    include,
    pagination: q.pagination,
  };
}

function filterJson(f: Filter): unknown {
  if (!isLeaf(f)) return 'filter' in f ? [f.op, filterJson(f.filter)] : [f.op, f.filters.map(filterJson)];
  return f.caseSensitive
    ? [f.op, f.dimension, f.values]
    : [f.op, f.dimension, f.values, { case_sensitive: false }];
}
