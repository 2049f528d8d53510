// The README says Node.js 20 is enough: every package the lock file installs (runtime and
// development alike) must accept this Node version, or `npm install` warns EBADENGINE and the
// package may use APIs Node 20 lacks (cookie 2 wants Node 22; package.json overrides it to 1.x,
// whose API is the same).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import semver from 'semver';
import { ROOT } from '../helpers/server.js';

type LockEntry = { version?: string; engines?: { node?: string } | string[]; optional?: boolean };

test('every package in the lock file accepts the Node version the README names', () => {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const oldest = semver.minVersion(pkg.engines.node);
  assert.ok(oldest, 'package.json names a Node range');
  const refused: string[] = [];
  for (const [where, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!range || entry.optional) continue;
    for (const node of [oldest.version, process.versions.node]) {
      if (!semver.satisfies(node, range))
        refused.push(`${where}@${entry.version} wants node ${range}, not ${node}`);
    }
  }
  assert.deepEqual(refused, []);
});
