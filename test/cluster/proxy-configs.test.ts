// The load-balancer configurations README's "Scaling out" ships are valid for the programs they
// are written for: nginx's `nginx -t` and Caddy's `caddy validate` read them as they stand in
// the README (nginx's certificate paths swapped for a throw-away pair). Each part is skipped,
// saying so, where the program is not installed (Debian: apt-get install nginx caddy).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, removeDir, tempDir } from '../helpers/server.js';

function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** The fenced blocks of one language in README's "Scaling out" section. */
function scalingBlocks(language: string): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Scaling out');
  assert.ok(start > 0, 'README has a "Scaling out" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

describe("README's load-balancer configurations", () => {
  const dir = tempDir('footfall-proxy-');
  after(() => removeDir(dir));

  it('nginx: `nginx -t` accepts the upstream with `hash $remote_addr consistent` and its server', {
    skip: installed('nginx') ? false : 'nginx not installed (apt-get install nginx)',
  }, () => {
    const block = scalingBlocks('nginx')[0] ?? '';
    assert.ok(block.includes('hash $remote_addr consistent;'), 'the nginx block hashes the client address');
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=stats.example.com',
      ],
      { stdio: 'ignore' },
    );
    const site = block
      .replace('/etc/letsencrypt/live/stats.example.com/fullchain.pem', cert)
      .replace('/etc/letsencrypt/live/stats.example.com/privkey.pem', key);
    writeFileSync(path.join(dir, 'site.conf'), site);
    // The README block is what goes in http { } (e.g. /etc/nginx/conf.d/footfall.conf).
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `pid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/site.conf;\n}\n`,
    );
    const run = spawnSync('nginx', ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /syntax is ok/);
  });

  it('Caddy: `caddy validate` accepts the reverse_proxy with `lb_policy ip_hash`', {
    skip: installed('caddy') ? false : 'caddy not installed (apt-get install caddy)',
  }, () => {
    const block = scalingBlocks('caddyfile')[0] ?? '';
    assert.ok(block.includes('lb_policy ip_hash'), 'the Caddy block hashes the client address');
    const file = path.join(dir, 'Caddyfile');
    writeFileSync(file, block);
    const run = spawnSync('caddy', ['validate', '--config', file, '--adapter', 'caddyfile'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout + run.stderr, /Valid configuration/);
  });
});
