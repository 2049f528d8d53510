// Issue 19, "logs and signals": one line per event, JSON with --log-format json, levels with
// --log-level; SIGHUP reloads the geo database and leaves the server running.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/log.js';
import { hit, killServers, removeDir, spawnServer, tempDir } from '../helpers/server.js';

const NOON = Date.parse('2026-11-30T12:00:00Z');

describe('the log', () => {
  const collect = (format: 'text' | 'json', level: 'debug' | 'info' | 'warn' | 'error') => {
    const lines: string[] = [];
    const log = createLogger({ format, level, write: (l) => lines.push(l), now: () => NOON });
    return { log, lines };
  };

  it('writes one JSON object a line with --log-format json', () => {
    const { log, lines } = collect('json', 'info');
    log('first\nsecond');
    log('ingest: disk full', 'error');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      [
        { time: '2026-11-30T12:00:00.000Z', level: 'info', msg: 'first\nsecond' },
        { time: '2026-11-30T12:00:00.000Z', level: 'error', msg: 'ingest: disk full' },
      ],
    );
    assert.ok(lines.every((l) => !l.includes('\n')));
  });

  it('keeps a message with line breaks on one text line, and names levels other than info', () => {
    const { log, lines } = collect('text', 'debug');
    log('Error: boom\n    at x');
    log('queue filling', 'warn');
    assert.deepEqual(lines, ['Error: boom\\n    at x', 'warn: queue filling']);
  });

  it('drops lines below --log-level', () => {
    const { log, lines } = collect('text', 'warn');
    log('started');
    log('details', 'debug');
    log('slow', 'warn');
    log('failed', 'error');
    assert.deepEqual(lines, ['warn: slow', 'error: failed']);
  });

  it('refuses an unknown format or level with one line naming the choices', () => {
    assert.throws(
      () => resolveServeConfig({ logFormat: 'xml' }, {}),
      new ConfigError('--log-format="xml" must be one of text, json'),
    );
    assert.throws(
      () => resolveServeConfig({}, { FOOTFALL_LOG_LEVEL: 'loud' }),
      new ConfigError('FOOTFALL_LOG_LEVEL="loud" must be one of debug, info, warn, error'),
    );
  });
});

describe('signals', () => {
  const dir = tempDir();
  after(() => {
    killServers();
    removeDir(dir);
  });

  it('SIGHUP reloads the geo database and the server keeps serving; SIGTERM still stops it', async () => {
    const server = await spawnServer(dir, ['--log-format', 'json']);
    const start = server
      .output()
      .split('\n')
      .find((l) => l.includes('listening on'))!;
    assert.equal(JSON.parse(start).level, 'info', 'the start line is JSON too');
    server.proc.kill('SIGHUP');
    const deadline = Date.now() + 30_000;
    while (!server.output().includes('reloaded the geo database') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const reloaded = server
      .output()
      .split('\n')
      .find((l) => l.includes('SIGHUP'));
    assert.ok(reloaded, server.output());
    assert.match(JSON.parse(reloaded).msg, /^SIGHUP: reloaded the geo database: DB-IP lite city/);
    assert.equal((await hit(`${server.url}/healthz`)).status, 200);
    server.proc.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });
});
