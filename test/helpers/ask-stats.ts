// Asks Stats API questions of a data directory in the test's own process (no server runs):
// the import tests read their answers this way, in milliseconds instead of a CLI start each.
import { parseQuery } from '../../src/query/parse.js';
import { createQueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';

export type Results = { dimensions: string[]; metrics: number[] }[];

/** Each query's `results`, with `base` (site_id, date_range, …) under every query. */
export async function askStats(
  dataDir: string,
  base: Record<string, unknown>,
  queries: Record<string, unknown>[],
): Promise<Results[]> {
  const store = await openDuckDbStore(dataDir);
  try {
    const sites = new SiteDirectory(store);
    await sites.refresh();
    const engine = createQueryEngine({
      store,
      site: (d) => sites.lookup(d),
      goals: (d) => store.goals.listGoals(d),
      imported: store.imported,
      now: Date.now,
    });
    const out: Results[] = [];
    for (const q of queries) out.push((await engine.query(parseQuery({ ...base, ...q }))).results as Results);
    return out;
  } finally {
    await store.close();
  }
}
