// Mutation testing (StrykerJS 9; 10 needs Node 22). Not part of `npm test`: run it with
// `npm run test:mutation -- <module>` (see scripts/mutation.mjs), which sets FOOTFALL_MUTATE.
// Each test file runs in its own `node --import tsx` process through the TAP runner, so the
// tests see the mutated TypeScript exactly as they see the source.
import { MODULES } from './scripts/mutation-modules.mjs';

const name = process.env.FOOTFALL_MUTATE ?? 'salts';
const module = MODULES[name];
if (!module) throw new Error(`unknown module ${name}: one of ${Object.keys(MODULES).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
  tap: {
    // FOOTFALL_MUTATE_TESTS=a.test.ts,b.test.ts narrows a run to the files that test the one
    // source file given with --mutate (a module's whole list is for the recorded runs).
    testFiles: process.env.FOOTFALL_MUTATE_TESTS?.split(',').filter(Boolean) ?? module.tests,
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  mutate: module.mutate,
  // Mutants that do not compile are dropped before any test runs (cheaper than running them).
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  // 2 shared cores: one test process at a time, a second for the checker.
  concurrency: 1,
  timeoutMS: 30_000,
  // Anchored with /: src/enrich/data/ is needed in the sandbox, and dist/ (the built dashboard
  // and tracker the server serves) too.
  ignorePatterns: ['/data', '/test-results', '/reports', '/.stryker-tmp', '/.test-build'],
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  // Inside the worktree, so the sandbox finds node_modules by walking up (a sandbox in /tmp
  // does not). While a run lasts, `biome check .` trips over the sandbox's biome.json.
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
