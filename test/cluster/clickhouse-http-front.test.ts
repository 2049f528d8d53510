// The test-only ClickHouse HTTP front (test/helpers/clickhouse-http-front.ts) speaks enough of
// ClickHouse's HTTP interface for @clickhouse/client, the client Footfall's nodes use: the
// two-node tests rest on it, so its own promises are checked here through that client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { CLIENT_SETTINGS } from '../../src/store/clickhouse/client.js';
import { CHDB_SKIP } from '../clickhouse/chdb.js';
import { type ClickHouseFront, startClickHouseFront } from '../helpers/clickhouse-http-front.js';
import { removeDir, tempDir } from '../helpers/server.js';

describe('ClickHouse HTTP front over chdb (test helper)', { skip: CHDB_SKIP }, () => {
  let dir: string;
  let front: ClickHouseFront;
  let client: ClickHouseClient;
  const login = { username: 'footfall', password: 'pw' };

  before(async () => {
    dir = tempDir('footfall-chfront-');
    front = await startClickHouseFront({ dir, login });
    client = createClient({
      url: front.url,
      ...login,
      clickhouse_settings: CLIENT_SETTINGS,
      log: { level: ClickHouseLogLevel.OFF },
    });
  });
  after(async () => {
    await client?.close();
    await front?.close();
    removeDir(dir);
  });

  it('answers /ping and a typed, parameterised query as the client expects', async () => {
    assert.equal((await client.ping()).success, true);
    const rows = await (
      await client.query({
        query: 'SELECT {s:String} AS s, {a:Array(String)} AS a, {n:UInt64} AS n, currentDatabase() AS db',
        query_params: { s: "it's\ta \\ test", a: ["q'r", 's'], n: '18446744073709551615' },
        format: 'JSONEachRow',
      })
    ).json<{ s: string; a: string[]; n: string; db: string }>();
    assert.deepEqual(rows, [
      { s: "it's\ta \\ test", a: ["q'r", 's'], n: '18446744073709551615', db: 'default' },
    ]);
  });

  it('keeps insert_deduplication_token per request: a repeat is dropped, another insert is not', async () => {
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS front_test' });
    const db = createClient({
      url: `${front.url}/front_test`,
      ...login,
      // No settings on every request (Footfall's client sends an empty token each time).
      log: { level: ClickHouseLogLevel.OFF },
    });
    try {
      await db.command({
        query:
          'CREATE TABLE t (n UInt32) ENGINE = MergeTree ORDER BY n SETTINGS non_replicated_deduplication_window = 100',
      });
      const insert = (token?: string) =>
        db.insert({
          table: 't',
          values: [{ n: 1 }, { n: 2 }],
          format: 'JSONEachRow',
          clickhouse_settings: token ? { insert_deduplicate: 1, insert_deduplication_token: token } : {},
        });
      await insert('segment-1');
      await insert('segment-1');
      // Without a token of its own: the last request's token must not carry over (chdb keeps a
      // SET for the session; the front resets it), so these rows are stored.
      await insert();
      const [row] = await front.rows('SELECT count() AS n FROM front_test.t');
      assert.equal(Number(row?.n), 4);
      const [setting] = await front.rows("SELECT getSetting('insert_deduplication_token') AS t");
      assert.equal(setting?.t, '');
    } finally {
      await db.close();
    }
  });

  it("returns ClickHouse's errors with their codes: syntax, unknown database, refused login", async () => {
    await assert.rejects(client.query({ query: 'SELEC 1' }), (err: { code?: string; type?: string }) => {
      assert.equal(err.code, '62');
      assert.equal(err.type, 'SYNTAX_ERROR');
      return true;
    });
    const elsewhere = createClient({
      url: `${front.url}/no_such_db`,
      ...login,
      log: { level: ClickHouseLogLevel.OFF },
    });
    await assert.rejects(elsewhere.query({ query: 'SELECT 1' }), { code: '81' });
    await elsewhere.close();
    const stranger = createClient({
      url: front.url,
      username: 'footfall',
      password: 'wrong',
      log: { level: ClickHouseLogLevel.OFF },
    });
    await assert.rejects(stranger.query({ query: 'SELECT 1' }), { code: '516' });
    await stranger.close();
  });
});
