// The tracker's byte budget: dist/script.js (built by `npm test`'s pretest) stays ≤ 1.5 KB gzipped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../helpers/server.js';

const BUDGET = 1536;

test('dist/script.js is at most 1.5 KB gzipped', () => {
  const script = readFileSync(path.join(ROOT, 'dist/script.js'));
  const gzipped = gzipSync(script, { level: 9 }).length;
  assert.ok(gzipped <= BUDGET, `${gzipped} bytes gzipped, budget ${BUDGET}`);
});

test('dist/script.js is plain ES2017 with no cookie or storage writes', () => {
  const script = readFileSync(path.join(ROOT, 'dist/script.js'), 'utf8');
  assert.doesNotMatch(script, /document\.cookie|\.cookie\b/);
  assert.doesNotMatch(script, /setItem|removeItem|sessionStorage|indexedDB/);
  assert.doesNotMatch(script, /\?\.|\?\?/, 'no optional chaining or nullish coalescing (ES2020)');
});
