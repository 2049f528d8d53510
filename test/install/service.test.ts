// Issue 19, "a service": `footfall service print` writes a systemd unit with the hardening the
// README promises, and `footfall service env` an environment file naming every setting.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SHUTDOWN_DEADLINE_MS } from '../../src/cli/serve.js';
import { renderEnvFile, renderUnit } from '../../src/cli/service.js';
import { ConfigError, SETTINGS } from '../../src/server/config.js';
import { ROOT, removeDir, tempDir } from '../helpers/server.js';

const run = promisify(execFile);
const BUILT = path.join(ROOT, 'dist', 'footfall.js');

/** A unit file as section → key → values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    assert.ok(current && eq > 0, `a key=value line inside a section: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe('footfall service print', () => {
  let unitText: string;
  let service: Map<string, string[]>;
  before(async () => {
    // The built CLI, as an installed one runs (a unit cannot ExecStart a .ts file).
    const res = await run(process.execPath, [
      BUILT,
      'service',
      'print',
      '--user',
      'footfall',
      '--data',
      '/var/lib/footfall',
    ]);
    unitText = res.stdout;
    service = parseUnit(unitText).get('Service')!;
  });
  const one = (key: string) => {
    const values = service.get(key);
    assert.ok(values, `[Service] has ${key}`);
    return values[values.length - 1]!;
  };

  it('runs as the dedicated user, on this installation, with the data directory set', () => {
    assert.equal(one('User'), 'footfall');
    assert.equal(one('Group'), 'footfall');
    assert.equal(one('ExecStart'), `${process.execPath} ${BUILT} serve`);
    assert.equal(one('Environment'), 'FOOTFALL_DATA=/var/lib/footfall');
    assert.equal(one('EnvironmentFile'), '/etc/footfall/footfall.env');
  });

  it('may write only the data directory, gains no privileges, and restarts on failure', () => {
    assert.equal(one('ProtectSystem'), 'strict');
    assert.equal(one('ReadWritePaths'), '/var/lib/footfall');
    assert.equal(one('NoNewPrivileges'), 'true');
    assert.equal(one('ProtectHome'), 'true');
    assert.equal(one('PrivateTmp'), 'true');
    assert.equal(one('CapabilityBoundingSet'), '');
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(one('StateDirectory'), 'footfall');
    assert.equal(one('StateDirectoryMode'), '0700');
    // Node's JIT needs writable executable memory: this line would stop the service starting.
    assert.equal(service.get('MemoryDenyWriteExecute'), undefined);
  });

  it('stops with SIGTERM and waits longer than the drain before killing', () => {
    assert.equal(one('KillSignal'), 'SIGTERM');
    assert.ok(Number(one('TimeoutStopSec')) * 1000 > SHUTDOWN_DEADLINE_MS + 1000);
  });

  it('is a unit systemd accepts without a warning', {
    skip: !hasSystemdAnalyze() && 'no systemd-analyze on this machine',
  }, () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'footfall.service');
      writeFileSync(file, unitText);
      const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      // verify exits 0 on unknown keys and bad values, so its warnings are the verdict.
      assert.equal(res.stderr.replace(/.*(Failed to|Cannot) .*(connect|bus|manager).*\n?/gi, ''), '');
      assert.equal(res.status, 0);
    } finally {
      removeDir(dir);
    }
  });

  it('a data directory outside /var/lib gets ReadWritePaths but no StateDirectory', () => {
    const unit = parseUnit(
      renderUnit({
        user: 'stats',
        dataDir: '/srv/footfall/',
        envFile: '/etc/footfall.env',
        node: '/usr/bin/node',
        script: '/opt/f/dist/footfall.js',
      }),
    ).get('Service')!;
    assert.deepEqual(unit.get('ReadWritePaths'), ['/srv/footfall']);
    assert.equal(unit.get('StateDirectory'), undefined);
  });

  it('refuses root, relative paths and characters systemd would read specially', () => {
    const base = {
      user: 'footfall',
      dataDir: '/var/lib/footfall',
      envFile: '/etc/f.env',
      node: '/usr/bin/node',
      script: '/opt/f.js',
    };
    for (const bad of [
      { user: 'root' },
      { user: 'Foot Fall' },
      { dataDir: 'data' },
      { dataDir: '/' },
      { dataDir: '/var/lib/foot fall' },
      { dataDir: '/var/lib/../etc' },
      { dataDir: '/var/lib/x\nExecStartPre=/bin/sh' },
      { envFile: '/etc/$HOME.env' },
    ]) {
      assert.throws(() => renderUnit({ ...base, ...bad }), ConfigError, JSON.stringify(bad));
    }
  });

  it('refuses a bad --user with one line and exit code 2', async () => {
    const res = spawnSync(
      process.execPath,
      [BUILT, 'service', 'print', '--user', 'root', '--data', '/var/lib/footfall'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(res.status, 2);
    assert.match(res.stderr, /^footfall: --user "root" must be a dedicated system user/);
    assert.equal(res.stdout, '');
  });
});

describe('footfall service env', () => {
  it('names every setting but the data directory, set for a proxy on the same machine', () => {
    const text = renderEnvFile();
    for (const s of SETTINGS) {
      if (s.env === 'FOOTFALL_DATA') assert.doesNotMatch(text, /FOOTFALL_DATA=/);
      else assert.match(text, new RegExp(`^#?${s.env}=`, 'm'), s.env);
    }
    assert.match(text, /^FOOTFALL_HOST=127\.0\.0\.1$/m);
    assert.match(text, /^FOOTFALL_TRUST_PROXY=loopback$/m);
  });
});

function hasSystemdAnalyze(): boolean {
  return spawnSync('systemd-analyze', ['--version']).status === 0;
}
