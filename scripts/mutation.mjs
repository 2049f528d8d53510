// `npm run test:mutation -- [module…]`: StrykerJS over one module at a time (names in
// scripts/mutation-modules.mjs; all of them when none is given), with the module's own tests.
// Reports land in reports/mutation/<module>.json; the scores are kept in BENCHMARKS.md.
// Flags after the names go to Stryker, e.g. `-- collect --mutate src/collect/text.ts`.
import { spawnSync } from 'node:child_process';
import { MODULES } from './mutation-modules.mjs';

const args = process.argv.slice(2);
const flagsAt = args.findIndex((a) => a.startsWith('--'));
const given = flagsAt < 0 ? args : args.slice(0, flagsAt);
const strykerFlags = flagsAt < 0 ? [] : args.slice(flagsAt);
const names = given.length > 0 ? given : Object.keys(MODULES);
for (const name of names) {
  if (!MODULES[name]) {
    console.error(`unknown module ${name}: one of ${Object.keys(MODULES).join(', ')}`);
    process.exit(2);
  }
}
let failed = false;
for (const name of names) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...strykerFlags], {
    stdio: 'inherit',
    env: { ...process.env, FOOTFALL_MUTATE: name },
  });
  console.log(`mutation ${name}: exit ${run.status}, ${Math.round((Date.now() - started) / 1000)} s`);
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
