// The error registry and README's error table list the same codes, statuses and messages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { ERRORS } from '../../src/errors.js';
import { ROOT } from '../helpers/server.js';

it('every error code is documented in the README, and every documented code exists', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const documented = new Map<string, { status: number; message: string }>();
  for (const m of readme.matchAll(/^\| `(FOOTFALL_ERR_[A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)) {
    documented.set(m[1]!, { status: Number(m[2]), message: m[3]! });
  }
  assert.deepEqual([...documented.keys()].sort(), Object.keys(ERRORS).sort());
  for (const [code, def] of Object.entries(ERRORS)) assert.deepEqual(documented.get(code), def, code);
});
