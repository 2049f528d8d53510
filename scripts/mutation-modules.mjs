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
      'test/collect/bad-input.test.ts',
      'test/collect/plausible-api.test.ts',
      'test/collect/seed-beacon.test.ts',
      'test/collect/umami-api.test.ts',
      'test/tracker/routes.test.ts',
    ],
  },
  ingest: {
    mutate: ['src/ingest/**/*.ts'],
    tests: ['test/ingest/durability.test.ts', 'test/ingest/journal.test.ts'],
  },
  auth: {
    mutate: ['src/auth/**/*.ts'],
    tests: [
      'test/auth/access-matrix.test.ts',
      'test/auth/csrf.test.ts',
      'test/auth/login-limits.test.ts',
      'test/auth/require-site.test.ts',
      'test/auth/sessions.test.ts',
      'test/auth/share-links.test.ts',
      'test/server/admin-key.test.ts',
      'test/api/accounts-api.test.ts',
    ],
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
