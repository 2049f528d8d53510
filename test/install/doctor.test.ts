// Issue 19: `footfall doctor` checks a data directory and a configuration and says what to
// fix — silent on a good installation, specific on a broken one, and it changes nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnose, type Finding } from '../../src/cli/doctor.js';
import { DB_FILE, openDuckDbStore } from '../../src/store/duckdb/open.js';
import { SCHEMA_VERSION } from '../../src/store/duckdb/schema-version.js';
import { UPGRADING_SUFFIX } from '../../src/store/duckdb/upgrade.js';
import { killServers, removeDir, runCli, spawnServer, tempDir } from '../helpers/server.js';
import { makeDataDir } from './data-dir-fixture.js';

const PLENTY = 10 * 1024 ** 3;
/** What the service's environment file sets (footfall service env). */
const SERVICE_ENV = {
  FOOTFALL_HOST: '127.0.0.1',
  FOOTFALL_PUBLIC_URL: 'https://stats.example.com',
  FOOTFALL_TRUST_PROXY: 'loopback',
};

const problems = (findings: Finding[]) =>
  findings.filter((f) => f.level !== 'ok').map((f) => `${f.level}: ${f.text} | ${f.fix}`);

describe('footfall doctor', () => {
  const dirs: string[] = [];
  const fresh = async () => {
    const dir = tempDir('footfall-doctor-');
    dirs.push(dir);
    await (await openDuckDbStore(dir)).close();
    chmodSync(dir, 0o700);
    chmodSync(path.join(dir, DB_FILE), 0o600);
    return dir;
  };
  const check = (dir: string, env: NodeJS.ProcessEnv = {}, free = PLENTY) =>
    diagnose({ ...SERVICE_ENV, FOOTFALL_DATA: dir, ...env }, { freeBytes: () => free });
  after(() => {
    killServers();
    for (const d of dirs) removeDir(d);
  });

  it('finds nothing to fix in a good installation, and changes nothing', async () => {
    const dir = await fresh();
    const file = path.join(dir, DB_FILE);
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const findings = await check(dir);
    assert.deepEqual(problems(findings), []);
    assert.ok(
      findings.some((f) => f.text === `schema: ${SCHEMA_VERSION}, current (written by Footfall 0.1.0)`),
    );
    assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), before);
  });

  it('names files other users can read, with the chmod that fixes them', async () => {
    const dir = await fresh();
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, DB_FILE), 0o644);
    assert.deepEqual(problems(await check(dir)), [
      `warn: data directory ${dir}: mode 0755, readable by other users | chmod 700 ${dir}`,
      `warn: database ${path.join(dir, DB_FILE)}: mode 0644, readable by other users | chmod 600 ${path.join(dir, DB_FILE)}`,
    ]);
  });

  it('fails when free space is too low to keep running or to upgrade', async () => {
    const dir = await fresh();
    const [p] = problems(await check(dir, {}, 100 * 1024 * 1024));
    assert.match(p!, /^fail: free space: 100 MB free .* \| free at least \d+ MB on that file system$/);
  });

  it('tells an older schema (upgraded at next start) from a newer one (refused)', async () => {
    const older = await makeDataDir(SCHEMA_VERSION - 1, { writtenBy: '0.0.9' });
    const newer = await makeDataDir(SCHEMA_VERSION + 1, { writtenBy: '9.0.0' });
    dirs.push(older, newer);
    for (const d of [older, newer]) {
      chmodSync(d, 0o700);
      chmodSync(path.join(d, DB_FILE), 0o600);
    }
    assert.deepEqual(problems(await check(older)), [
      `warn: schema: ${SCHEMA_VERSION - 1} (written by Footfall 0.0.9); this Footfall upgrades it to ${SCHEMA_VERSION} at its next start, keeping a backup | nothing, once the free space above suffices`,
    ]);
    assert.deepEqual(problems(await check(newer)), [
      `fail: schema: ${SCHEMA_VERSION + 1} (written by Footfall 9.0.0) is newer than this Footfall's ${SCHEMA_VERSION} | run Footfall 9.0.0 or newer`,
    ]);
  });

  it('reports a journal backlog and an interrupted upgrade', async () => {
    const dir = await fresh();
    mkdirSync(path.join(dir, 'journal'));
    writeFileSync(path.join(dir, 'journal', '000000000007.ndjson'), '{"an":"event"}\n'.repeat(100));
    writeFileSync(path.join(dir, DB_FILE + UPGRADING_SUFFIX), 'half a copy');
    assert.deepEqual(
      problems(await check(dir)).map((p) => p.split(':')[1]),
      [' upgrade', ' journal'],
    );
  });

  it('fails on a bad setting, a missing geo database or a data path that is a file', async () => {
    const dir = await fresh();
    assert.deepEqual(problems(await check(dir, { PORT: 'eighty' })), [
      'fail: configuration: PORT="eighty" is not a port number: use a whole number from 1 to 65535, e.g. 8000 | correct that setting',
    ]);
    const [geo] = problems(await check(dir, { FOOTFALL_GEOIP_DB: path.join(dir, 'nope.mmdb') }));
    assert.match(geo!, /^fail: geo database: .*nope\.mmdb.* \| point FOOTFALL_GEOIP_DB at/);
    const file = path.join(dir, DB_FILE);
    assert.deepEqual(problems(await check(file)), [
      `fail: data directory ${file}: is not a directory | point FOOTFALL_DATA at a directory`,
    ]);
  });

  it('warns when a proxy must be in front but its headers are not believed, or the public URL is unset', async () => {
    const dir = await fresh();
    const found = problems(await check(dir, { FOOTFALL_TRUST_PROXY: '', FOOTFALL_PUBLIC_URL: '' }));
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(
      found[0]!,
      /^warn: proxy: listening on 127\.0\.0\.1 only.* \| set FOOTFALL_TRUST_PROXY=loopback/,
    );
    assert.match(found[1]!, /^warn: public URL: unset.* \| set FOOTFALL_PUBLIC_URL/);
  });

  it('checks a directory a server is running on without touching the database, and exits 1 on a failure', async () => {
    const dir = await fresh();
    const server = await spawnServer(dir);
    const env = { ...SERVICE_ENV, FOOTFALL_DATA: dir };
    const running = await runCli(['doctor'], { env });
    assert.equal(running.code, 0, running.stdout + running.stderr);
    assert.match(
      running.stdout,
      /^OK {4}database: in use by a running server \(PID \d+\); schema and journal not checked$/m,
    );
    server.proc.kill('SIGTERM');
    await server.exited;
    const broken = await runCli(['doctor', '--data', path.join(dir, DB_FILE)], { env });
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /^1 to fix, 0 to look at$/m);
  });
});
