// The copy of the sources the test suite runs from (scripts/test.mjs): every .ts/.tsx file of
// src/, test/ and bench/ transpiled by esbuild (no bundling, no type check — `npm run lint`
// checks types) to a .js file at the same place under .test-build/, with an inline source
// map. Everything else there is a symbolic link to the real thing — the .ts files themselves,
// fixtures, and the top-level files and folders (node_modules, dist, scripts, package.json,
// README.md…) — so a path a test builds relative to its own file finds what it found before.
// test/helpers/server.ts's ROOT names the repository itself, not the copy.
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { commonJsAsRequire, requireBanner } from './server-bundle.mjs';

export const BUILD_DIR = '.test-build';
const TRANSPILED = ['src', 'test', 'bench'];

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** Keeps every import of our own files (relative paths) an import of its transpiled copy. */
const ownFilesAsImports = {
  name: 'own-files-as-imports',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildTests() {
  const root = process.cwd();
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR);
  for (const e of readdirSync(root)) {
    if (TRANSPILED.includes(e) || e === BUILD_DIR || e === '.git') continue;
    symlinkSync(path.join(root, e), path.join(BUILD_DIR, e));
  }
  const files = TRANSPILED.flatMap(walk);
  const sources = files.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  await build({
    entryPoints: sources,
    // Each file stays its own module (every relative import is left as it is), but npm packages
    // written as CommonJS are loaded with require(), as in dist/footfall.js: an ES module's
    // import of a CommonJS file makes Node scan it for exports first (cjs-module-lexer), and a
    // test file that imports the server went through 452 of them, ~0.5 s of CPU a file.
    bundle: true,
    plugins: [ownFilesAsImports, commonJsAsRequire({ onlyPure: true })],
    banner: { js: requireBanner },
    outdir: BUILD_DIR,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node 20 reads `with { type: 'json' }`; esbuild drops it for a plain node20 target.
    supported: { 'import-attributes': true },
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  for (const f of files) {
    mkdirSync(path.join(BUILD_DIR, path.dirname(f)), { recursive: true });
    symlinkSync(path.join(root, f), path.join(BUILD_DIR, f));
  }
}
