// The version users see (`footfall --version`, /healthz): package.json's, read at start.
// src/version.ts and the bundled dist/footfall.js both sit one folder below package.json, in
// a clone and in an installed package alike, so one relative path serves both.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const VERSION: string = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
