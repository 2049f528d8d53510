// The dashboard's byte budget: all JavaScript in dist/web (built by `npm test`'s pretest)
// stays ≤ 120 KB gzipped, and the map geometry stays out of it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../helpers/server.js';

const BUDGET = 120 * 1024;
const ASSETS = path.join(ROOT, 'dist/web/assets');

test('all dashboard JavaScript together is at most 120 KB gzipped', () => {
  const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 0, 'no JavaScript in dist/web/assets: run npm run build');
  const total = scripts.reduce(
    (sum, f) => sum + gzipSync(readFileSync(path.join(ASSETS, f)), { level: 9 }).length,
    0,
  );
  console.log(`dashboard JavaScript: ${total} bytes gzipped (${scripts.join(', ')})`);
  assert.ok(total <= BUDGET, `${total} bytes gzipped, budget ${BUDGET}`);
});

test('the world map is a separate JSON asset, not part of the bundle', () => {
  const files = readdirSync(ASSETS);
  assert.ok(files.some((f) => /^world-[0-9a-f]+\.json$/.test(f)));
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    const js = readFileSync(path.join(ASSETS, f), 'utf8');
    assert.doesNotMatch(js, /geoNaturalEarth|topojson/i, f);
  }
});

test('the bundle has no eval and no HTML injection sinks', () => {
  for (const f of readdirSync(ASSETS).filter((x) => x.endsWith('.js'))) {
    const js = readFileSync(path.join(ASSETS, f), 'utf8');
    assert.doesNotMatch(js, /\beval\(|new Function\(|document\.write/, f);
    // Preact names dangerouslySetInnerHTML internally; our code must never pass it.
    assert.doesNotMatch(js, /insertAdjacentHTML|outerHTML\s*=/, f);
  }
});
