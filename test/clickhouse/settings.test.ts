// A wrong --clickhouse-url stops the start with one line naming the setting and the fix:
// malformed, an unknown scheme, a refused login, nothing listening, chdb not installed.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { removeDir, runCli, tempDir } from '../helpers/server.js';

const config = (url: string, env = false) =>
  env
    ? resolveServeConfig({}, { FOOTFALL_CLICKHOUSE_URL: url })
    : resolveServeConfig({ clickhouseUrl: url }, {});

/** Starts `footfall serve` with the URL; resolves with its exit code and output. */
async function serve(url: string, env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir();
  try {
    return await runCli(
      ['serve', '--port', '0', '--host', '127.0.0.1', '--data', dir, '--clickhouse-url', url],
      {
        env,
      },
    );
  } finally {
    removeDir(dir);
  }
}

/** The one line a refused start prints (the CLI prefixes it with "footfall: "). */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  return lines[0]!;
}

describe('--clickhouse-url checked at start', () => {
  it('a malformed URL names the setting (or its variable) and the forms it takes', () => {
    assert.throws(
      () => config('http://[oops'),
      (e: Error) =>
        e instanceof ConfigError &&
        /^--clickhouse-url is not a URL: use http\(s\):\/\/user:pass@host:port\/database or chdb:<dir>/.test(
          e.message,
        ),
    );
    assert.throws(() => config('http://[oops', true), /FOOTFALL_CLICKHOUSE_URL is not a URL/);
    assert.throws(() => config('chdb:'), /names no directory: use chdb:<dir>/);
    assert.throws(() => config('http://h:8123/db?x=1'), /must not have a query or fragment/);
    assert.throws(() => config('http://h:8123/my-db'), /letters, digits and _ only/);
  });

  it('an unknown scheme says which schemes there are', () => {
    assert.throws(
      () => config('postgres://u:p@h/db'),
      /unknown scheme "postgres:": use http:, https: .* or chdb:/,
    );
    assert.throws(() => config('clickhouse://h:9000'), /unknown scheme "clickhouse:"/);
  });

  it('never repeats the password', () => {
    for (const url of [
      'http://u:s3cret-pw@h:8123/db?x',
      'http://u:s3cret-pw@h:8123/my-db',
      'ftp://u:s3cret-pw@h/',
    ]) {
      assert.throws(
        () => config(url),
        (e: Error) => !e.message.includes('s3cret-pw'),
      );
    }
  });

  it('the forms that are right pass', () => {
    assert.equal(
      config('https://u:p@ch.example.com:8443/footfall').clickhouseUrl,
      'https://u:p@ch.example.com:8443/footfall',
    );
    assert.equal(config('chdb:./data/ch').clickhouseUrl, 'chdb:./data/ch');
    assert.equal(resolveServeConfig({}, {}).clickhouseUrl, undefined);
  });

  describe('against a server', () => {
    let fake: Server;
    let fakeUrl: string;
    let closedUrl: string;
    before(async () => {
      // Answers as ClickHouse's HTTP interface does to a wrong password (status 516, the code
      // in a header and the body): ClickHouse itself is not on this machine.
      fake = createServer((_req, res) => {
        res.writeHead(516, { 'x-clickhouse-exception-code': '516' });
        res.end(
          'Code: 516. DB::Exception: alice: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 26.7.2.1)\n',
        );
      });
      await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
      fakeUrl = `http://alice:wrong-pw@127.0.0.1:${(fake.address() as AddressInfo).port}/footfall`;
      // A port nothing listens on: one that was just free.
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/footfall`;
      await new Promise((r) => probe.close(r));
    });
    after(() => fake?.close());

    it('wrong credentials: the start stops and says to fix the user and password', async () => {
      const { code, stderr } = await serve(fakeUrl);
      assert.notEqual(code, 0);
      const line = oneLine(stderr);
      assert.match(
        line,
        /--clickhouse-url: ClickHouse at http:\/\/alice@127\.0\.0\.1:\d+\/footfall refused the login .*: fix the user and password in the URL/,
      );
      assert.ok(!line.includes('wrong-pw'), 'the password is not printed');
    });

    it('nothing listening: the start stops and says to start ClickHouse or fix the address', async () => {
      const { code, stderr } = await serve(closedUrl);
      assert.notEqual(code, 0);
      assert.match(
        oneLine(stderr),
        /--clickhouse-url: cannot reach ClickHouse at http:\/\/127\.0\.0\.1:\d+\/footfall \(.*\): start it, or fix the host and port/,
      );
    });
  });

  it('chdb: without the chdb package says the one command that installs it', async () => {
    const hook = pathToFileURL(path.join(import.meta.dirname, 'fixtures/no-chdb.mjs')).href;
    const { code, stderr } = await serve('chdb:/tmp/never-made', { NODE_OPTIONS: `--import=${hook}` });
    assert.notEqual(code, 0);
    assert.match(
      oneLine(stderr),
      /--clickhouse-url=chdb:\/tmp\/never-made needs the chdb package, which is not installed: run `npm install --no-save chdb@3\.4\.0`/,
    );
  });
});
