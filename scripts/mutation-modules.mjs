// The modules whose promises matter most, each with the test files that keep those promises.
// `npm run test:mutation -- <name>…` mutates one module at a time and runs only its tests
// (the machine has 2 shared cores: a run over everything takes hours, one module minutes).
export const MODULES = {
  salts: {
    mutate: ['src/enrich/salts.ts'],
    tests: ['test/enrich/salts.test.ts', 'test/enrich/salts-edges.test.ts'],
  },
  collect: {
    mutate: ['src/collect/**/*.ts'],
    tests: [
      'test/collect/text-limits.test.ts',
      'test/collect/plausible-body.test.ts',
      'test/collect/umami-body.test.ts',
      'test/collect/beacon-query.test.ts',
      'test/collect/revenue-input.test.ts',
      'test/collect/track-unit.test.ts',
      'test/collect/collect-routes.test.ts',
      'test/collect/tracker-script-routes.test.ts',
      'test/collect/bad-input.test.ts',
      'test/collect/plausible-api.test.ts',
      'test/collect/seed-beacon.test.ts',
      'test/collect/umami-api.test.ts',
      'test/tracker/routes.test.ts',
    ],
  },
  ingest: {
    mutate: ['src/ingest/**/*.ts'],
    // Fast files first (no server, no store, then a store without a server): a mutant they
    // kill costs milliseconds. The crash tests (durability's kill -9, startup-errors) start
    // real servers and are left out: the fast files cover the same mutants.
    tests: [
      'test/ingest/journal-segments.test.ts',
      'test/ingest/row-codec.test.ts',
      'test/ingest/line-check.test.ts',
      'test/ingest/quarantine-lines.test.ts',
      'test/ingest/writer-edges.test.ts',
      'test/ingest/journal.test.ts',
      'test/ingest/journal-sync.test.ts',
      'test/ingest/disk-full.test.ts',
      'test/ingest/quarantine.test.ts',
    ],
  },
  auth: {
    mutate: ['src/auth/**/*.ts'],
    // Fast files first (no server: the rule table, secrets, the limiter, hashes, then the
    // account store and the access hooks on a bare Fastify app), then the files that start a
    // server: a mutant the first ones kill costs seconds, not a server start.
    tests: [
      'test/auth/access-rules.test.ts',
      'test/auth/secrets.test.ts',
      'test/auth/attempt-limiter.test.ts',
      'test/auth/attempt-limiter-window.test.ts',
      'test/auth/password-hashes.test.ts',
      'test/auth/keys-and-second-factor.test.ts',
      'test/auth/account-admin.test.ts',
      'test/auth/access-hooks.test.ts',
      'test/auth/access-matrix.test.ts',
      'test/auth/csrf.test.ts',
      'test/auth/login-limits.test.ts',
      'test/auth/require-site.test.ts',
      'test/auth/sessions.test.ts',
      'test/auth/share-links.test.ts',
      'test/auth/two-factor.test.ts',
      'test/server/admin-key.test.ts',
      'test/api/accounts-api.test.ts',
    ],
  },
  // The rollups by salt day: what is rolled, what forgets a rolled day, which statements read
  // them (src/query/compile-rollup.ts is also in `query`, whose oracle suites run the path).
  rollups: {
    mutate: [
      'src/store/duckdb/rollups.ts',
      'src/query/rollup-plan.ts',
      'src/query/compile-rollup.ts',
      'src/jobs/rollups.ts',
    ],
    tests: ['test/store/rollups.test.ts'],
  },
  query: {
    mutate: ['src/query/compile*.ts', 'src/query/event-scope.ts'],
    tests: [
      'test/query/compiled-answers.test.ts',
      'test/query/bad-queries.test.ts',
      'test/query/ranges-and-reports.test.ts',
      'test/query/stats-correctness.test.ts',
      'test/query/zone-offsets.test.ts',
    ],
  },
};
