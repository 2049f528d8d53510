// The version users see (`footfall --version`, /healthz): package.json's, read at start.
// The nearest package.json above this file is Footfall's own — from src/ in a clone, from the
// bundled dist/footfall.js in a clone or an installed package, and from the tests' bundles in
// dist/test/ — so the lookup walks up instead of assuming one depth.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function readVersion(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

export const VERSION: string = readVersion(import.meta.dirname);
