// The events of one site over a date range and filters, ungrouped: what journeys and the
// prop-key listing read (the Stats API query builds its own scope, with dimensions).

import type { Site } from '../store/types.js';
import { autoUnit, type ResolvedRange } from './date-range.js';
import { type EventScope, eventScope } from './event-scope.js';
import type { DateRangeInput, Filter } from './model.js';
import type { RollupCut } from './rollup-plan.js';
import type { QueryEngine } from './run-query.js';

export async function filteredEvents(
  engine: QueryEngine,
  req: { siteId: string; dateRange: DateRangeInput; filters: Filter[] },
  extraColumns: string[],
): Promise<EventScope> {
  const site = engine.site(req.siteId);
  await engine.validatePatterns(req.filters);
  return scopeOver(engine, site, await engine.resolve(site, req.dateRange), req.filters, extraColumns);
}

/**
 * The same over a range already resolved (patterns already checked); `edgeOf`: only the events
 * of visits the rolled days of this cut do not hold (rollup-plan.ts).
 */
export function scopeOver(
  engine: QueryEngine,
  site: Site,
  range: ResolvedRange,
  filters: Filter[],
  extraColumns: string[],
  edgeOf?: RollupCut,
): EventScope {
  return eventScope({
    edgeOf,
    siteKey: site.id,
    timezone: site.timezone,
    firstDate: range.firstDate,
    fromMs: range.fromMs,
    toMs: range.toMs,
    dimensions: [],
    filters,
    extraColumns,
    timeUnit: autoUnit(range),
    dialect: engine.dialect,
  });
}
