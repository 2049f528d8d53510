// Deleting a site's events older than its retention cut, on DuckDB. The visits table must stay
// what a rebuild from the kept events would give (visits.ts): a visit that straddles the cut
// keeps only its later events, so its row is recomputed from them; a visit wholly before the
// cut goes. Runs in the ingest connection's turn, in one transaction, so no load folds a batch
// into a visit row half rewritten and no query sees events without their visits.
//
// Space: the CHECKPOINT after the delete writes the tables without the deleted rows; row groups
// left mostly empty are merged and blocks no longer used go on DuckDB's free list (DuckDB 1.5
// "reclaiming space"). The file does not shrink — DuckDB truncates only free blocks at its very
// end and never moves live ones; only a copy (COPY FROM DATABASE) compacts it. Measured with
// `node --import tsx bench/retention-space.ts` (500,000 events, the oldest 400,000 deleted, then
// 250,000 new ones loaded): 13.6 MB → 14.7 MB with 12 of 56 blocks free → 18.6 MB with 34 of 71
// free; the loads did not reuse the freed blocks. So retention bounds what queries scan and what
// a backup holds worth of rows, not the file's size. FORCE: a plain CHECKPOINT fails while a
// stats query runs; this one waits for it.
import { forgetDays } from './rollups.js';
import type { SerialConnection } from './serial-connection.js';
import { noteVisitDays, visitRowsSql } from './visits.js';

const CUT = 'epoch_ms($2::BIGINT)';

/** Resolves with the number of events deleted. */
export async function deleteEventsBefore(
  load: SerialConnection,
  metadata: SerialConnection,
  siteId: number,
  cutMs: number,
): Promise<number> {
  const deleted = await load.transaction(async (tx) => {
    const params = [siteId, cutMs];
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE cut_visits AS
         SELECT session_id FROM visits WHERE site_id = $1 AND first_ts < ${CUT}`,
      params,
    );
    const n = await tx.run(`DELETE FROM events WHERE site_id = $1 AND ts < ${CUT}`, params);
    await tx.run(`DELETE FROM visits WHERE site_id = $1 AND first_ts < ${CUT}`, params);
    // Only the straddling visits still have events: each gets its row back, from those.
    const kept =
      '(SELECT * FROM events WHERE site_id = $1 AND session_id IN (SELECT session_id FROM cut_visits))';
    await tx.run(`INSERT INTO visits ${visitRowsSql(kept)}`, [siteId]);
    await tx.run('DROP TABLE cut_visits');
    // The days up to the cut's, as their remaining visits give them.
    await tx.run(`DELETE FROM visit_days WHERE site_id = $1 AND day <= CAST(${CUT} AS DATE)`, params);
    await noteVisitDays(
      tx,
      `v.site_id = $1 AND v.first_ts < CAST(${CUT} AS DATE) + INTERVAL '1 day'`,
      params,
    );
    // A rolled salt day that started before the cut lost events (or may have: rollups.ts).
    const day = new Date(cutMs).toISOString().slice(0, 10);
    if (n > 0) await forgetDays(tx, siteId, '0001-01-01', day);
    return n;
  });
  // In both writing connections' turns (as a snapshot does): nothing writes meanwhile.
  if (deleted > 0) await load.serial(() => metadata.serial((tx) => tx.run('FORCE CHECKPOINT')));
  return deleted;
}
