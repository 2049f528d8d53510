// visit_days (src/store/duckdb/visits.ts) must be what its visits give: per site and salt day,
// the last event of the day's visits. The rows either side lacks, for tests to assert none.
import type { Store } from '../../src/store/types.js';

const FROM_VISITS =
  'SELECT site_id, CAST(first_ts AS DATE) AS day, max(last_ts) AS last_ts FROM visits GROUP BY ALL';

export async function visitDaysDrift(store: Pick<Store, 'queryRows'>): Promise<string[]> {
  const rows = await store.queryRows(
    `(SELECT 'kept, not in the visits' AS side, * FROM (SELECT site_id, day, last_ts FROM visit_days EXCEPT ${FROM_VISITS})) ` +
      `UNION ALL (SELECT 'in the visits, not kept', * FROM (${FROM_VISITS} EXCEPT SELECT site_id, day, last_ts FROM visit_days))`,
  );
  return rows.map((r) => `${r.side}: site ${r.site_id} ${String(r.day)} ${String(r.last_ts)}`);
}
