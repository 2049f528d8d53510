// Appends a batch of EventRows in one transaction. The appender fills the transaction on
// the main thread (a few µs a row); COMMIT — the WAL write and fsync — runs on DuckDB's
// worker thread. A commit also has a fixed cost of a few ms, which is why rows arrive here
// in large loads from the ingest journal rather than one commit per request batch.
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBMapValue,
  DuckDBTimestampValue,
  MAP,
  VARCHAR,
} from '@duckdb/node-api';
import type { EventRow } from '../event-row.js';
import type { LoadMark } from '../types.js';

const PROPS_TYPE = MAP(VARCHAR, VARCHAR);
const EMPTY_PROPS = new DuckDBMapValue([]);

function appendRow(a: DuckDBAppender, r: EventRow): void {
  a.appendUInteger(r.siteId);
  a.appendTimestamp(new DuckDBTimestampValue(BigInt(r.ts) * 1000n));
  a.appendVarchar(r.name);
  a.appendVarchar(r.hostname);
  a.appendVarchar(r.pathname);
  a.appendVarchar(r.title);
  a.appendVarchar(r.referrer);
  a.appendVarchar(r.referrerHost);
  a.appendVarchar(r.utmSource);
  a.appendVarchar(r.utmMedium);
  a.appendVarchar(r.utmCampaign);
  a.appendVarchar(r.utmTerm);
  a.appendVarchar(r.utmContent);
  a.appendMap(
    r.props.length === 0 ? EMPTY_PROPS : new DuckDBMapValue(r.props.map(([key, value]) => ({ key, value }))),
    PROPS_TYPE,
  );
  a.appendBoolean(r.interactive);
  a.appendUBigInt(r.visitorId);
  a.appendUBigInt(r.sessionId);
  a.appendVarchar(r.browser);
  a.appendVarchar(r.browserVersion);
  a.appendVarchar(r.os);
  a.appendVarchar(r.osVersion);
  a.appendVarchar(r.device);
  a.appendVarchar(r.screen);
  a.appendVarchar(r.language);
  a.appendVarchar(r.country);
  a.appendVarchar(r.region);
  a.appendVarchar(r.city);
  a.appendVarchar(r.source);
  a.appendVarchar(r.channel);
  if (r.scrollDepth === null) a.appendNull();
  else a.appendUTinyInt(r.scrollDepth);
  if (r.engagementMs === null) a.appendNull();
  else a.appendUInteger(r.engagementMs);
  a.endRow();
}

/**
 * A connection that only ingests, with its appender kept open across transactions
 * (creating one per batch costs a round trip to DuckDB's thread).
 */
export class WriteLane {
  private appender: DuckDBAppender | undefined;

  constructor(readonly conn: DuckDBConnection) {}

  async append(rows: readonly EventRow[], mark?: LoadMark): Promise<void> {
    if (rows.length === 0 && !mark) return;
    this.appender ??= await this.conn.createAppender('events');
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (const row of rows) appendRow(this.appender, row);
      this.appender.flushSync();
      if (mark) {
        await this.conn.run('INSERT OR REPLACE INTO ingest_state VALUES (1, $1, $2)', [
          mark.segment,
          mark.offset,
        ]);
      }
      await this.conn.run('COMMIT');
    } catch (err) {
      // The appender may hold half a batch: drop it with the transaction and start afresh.
      try {
        this.appender.closeSync();
      } catch {}
      this.appender = undefined;
      await this.conn.run('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  close(): void {
    try {
      this.appender?.closeSync();
    } catch {}
    this.conn.closeSync();
  }
}
