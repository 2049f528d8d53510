// The dashboard's "Include imported data": imports=1 in the URL survives a round trip (and is
// left out when off), and a dashboard with it on adds include.imports to every Stats API
// query and to nothing else, keeping what the query already included; `footfall query
// --imports` asks the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryBodyFromFlags } from '../../src/cli/query-flags.js';
import type { Api } from '../../src/web/api/http.js';
import { importsNotice, withImports } from '../../src/web/dashboard/imports.js';
import { DEFAULT_STATE, decodeState, encodeState } from '../../src/web/state/url-state.js';

test('imports=1 survives a round trip; off is the default and stays out of the URL', () => {
  const on = { ...DEFAULT_STATE, filters: [], imports: true };
  assert.equal(encodeState(on), '?imports=1');
  assert.deepEqual(decodeState(encodeState(on)), on);
  assert.equal(decodeState('?imports=yes').imports, undefined);
});

test('withImports adds include.imports to queries only', async () => {
  const sent: [string, unknown][] = [];
  const api: Api = {
    get: async () => undefined as never,
    send: async (_m, path, body) => {
      sent.push([path, body]);
      return undefined as never;
    },
    setCsrf: () => {},
    shareToken: 'tok',
  };
  const wrapped = withImports(api);
  await wrapped.send('POST', '/api/v2/query', { metrics: ['visitors'], include: { total_rows: true } });
  await wrapped.send('POST', '/api/v2/journeys', { steps: 3 });
  assert.deepEqual(sent, [
    ['/api/v2/query', { metrics: ['visitors'], include: { total_rows: true, imports: true } }],
    ['/api/v2/journeys', { steps: 3 }],
  ]);
  assert.equal(wrapped.shareToken, 'tok');
});

test('a panel says why imports were left out, but not when there are none', () => {
  const res = (meta: Record<string, unknown>) => ({ results: [], meta, query: {} }) as never;
  assert.match(
    importsNotice(
      res({ imports_skip_reason: 'unsupported_query', imports_warning: 'Imported stats are not included…' }),
    )!,
    /not included/,
  );
  assert.equal(importsNotice(res({ imports_skip_reason: 'no_imported_data' })), undefined);
  assert.equal(importsNotice(res({ imports_included: true })), undefined);
});

test('footfall query --imports asks with include.imports, beside a comparison', () => {
  assert.deepEqual(
    queryBodyFromFlags({ site: 'example.com', imports: true, compare: 'previous_period' }).include,
    {
      comparisons: { mode: 'previous_period' },
      imports: true,
    },
  );
  assert.equal(queryBodyFromFlags({ site: 'example.com' }).include, undefined);
});
