// Builds dist/footfall.js (the CLI and server) with esbuild; npm packages stay external.
import { chmodSync, existsSync } from 'node:fs';

// A production clone (`npm install --omit=dev` after `npm run build`) has no esbuild, yet
// `npm start` runs this first: keep the dist/ already built rather than fail.
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  if (!existsSync('dist/footfall.js')) {
    console.error(
      'footfall: esbuild is not installed and dist/ is missing: run `npm install` (with dev dependencies), then `npm run build`',
    );
    process.exit(1);
  }
  console.error('footfall: esbuild is not installed (a production install): using the dist/ already built');
  process.exit(0);
}
const { buildWeb } = await import('./build-web.mjs');
const { serverBundleOptions } = await import('./server-bundle.mjs');

await build({ ...serverBundleOptions, outfile: 'dist/footfall.js', sourcemap: true });
chmodSync('dist/footfall.js', 0o755);

// The browser tracker, served at GET /script.js (budget: 1.5 KB gzipped, see test/tracker/size.test.ts).
await build({
  entryPoints: ['src/tracker/tracker.ts'],
  outfile: 'dist/script.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2017',
  minify: true,
  legalComments: 'none',
  tsconfigRaw: {}, // no "use strict" prologue: the IIFE needs none, and every byte counts
  logLevel: 'warning',
});

// The dashboard (dist/web/; budget: 120 KB of JavaScript gzipped, see test/web/size.test.ts).
await buildWeb();
