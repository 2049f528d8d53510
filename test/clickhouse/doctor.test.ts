// `footfall doctor` with FOOTFALL_CLICKHOUSE_URL: reaches ClickHouse (chdb here; a closed port
// for a server), reports its version and Footfall's schema there, and creates nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnose } from '../../src/cli/doctor.js';
import { openClickHouseClient } from '../../src/store/clickhouse/client.js';
import { MIGRATIONS } from '../../src/store/clickhouse/schema.js';
import { parseClickHouseUrl } from '../../src/store/clickhouse/url.js';
import { createStore } from '../../src/store/create-store.js';
import { removeDir, startTestServer, tempDir } from '../helpers/server.js';
import { CHDB_SKIP, chdbUrl } from './chdb.js';

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const finding = async (dataDir: string, url: string) => {
  const all = await diagnose(
    { FOOTFALL_DATA: dataDir, FOOTFALL_CLICKHOUSE_URL: url },
    { freeBytes: () => 1e12 },
  );
  const found = all.find((f) => f.text.startsWith('ClickHouse'));
  assert.ok(found, JSON.stringify(all));
  return found;
};

describe('footfall doctor checks ClickHouse', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir('footfall-doctor-ch-');
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach(removeDir));

  it('a server that cannot be reached fails with the fix', async () => {
    const f = await finding(dir(), `http://u:secret@127.0.0.1:${await closedPort()}/footfall`);
    assert.equal(f.level, 'fail');
    assert.match(f.text, /cannot reach ClickHouse at .*127\.0\.0\.1.*start it, or fix the host and port/);
    assert.ok(!f.text.includes('secret'), 'the password is not shown');
  });

  describe('chdb', { skip: CHDB_SKIP }, () => {
    it('a directory not made yet: a warning, and doctor does not make it', async () => {
      const d = dir();
      const f = await finding(d, chdbUrl(d));
      assert.equal(f.level, 'warn');
      assert.match(f.text, /does not exist; `footfall serve` will create it/);
      assert.ok(!existsSync(path.join(d, 'clickhouse')));
    });

    it("an engine with Footfall's schema: its version and the schema, current", async () => {
      const d = dir();
      await (await createStore({ dataDir: d, clickhouseUrl: chdbUrl(d) })).close();
      const f = await finding(d, chdbUrl(d));
      assert.equal(f.level, 'ok', f.text);
      assert.match(
        f.text,
        new RegExp(
          `^ClickHouse chdb:.* \\(version \\d+\\.\\d+[^)]*\\): reached; Footfall schema ${MIGRATIONS.length}, current$`,
        ),
      );
    });

    it('a schema newer than this Footfall knows fails', async () => {
      const d = dir();
      await (await createStore({ dataDir: d, clickhouseUrl: chdbUrl(d) })).close();
      const client = await openClickHouseClient(parseClickHouseUrl(chdbUrl(d)));
      await client.insert({ table: 'footfall_schema', values: [{ version: 99 }], format: 'JSONEachRow' });
      await client.close();
      const f = await finding(d, chdbUrl(d));
      assert.equal(f.level, 'fail');
      assert.match(
        f.text,
        new RegExp(`Footfall schema 99 is newer than this Footfall's ${MIGRATIONS.length}`),
      );
    });

    it("a running server's chdb directory is not opened a second time", async () => {
      const d = dir();
      const server = await startTestServer({ dataDir: d, flags: { clickhouseUrl: chdbUrl(d) } });
      try {
        const f = await finding(d, chdbUrl(d));
        assert.equal(f.level, 'ok');
        assert.match(f.text, /in use by the running server; not opened/);
      } finally {
        await server.close();
      }
    });
  });
});
