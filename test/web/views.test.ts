// Which view each path shows, and where login may send the browser afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginTarget, matchRoute, sitePath } from '../../src/web/app/routes.js';
import { SHELL_PATHS } from '../../src/web/routes.js';

test('each dashboard path has its view', () => {
  assert.deepEqual(matchRoute('/'), { name: 'sites' });
  assert.deepEqual(matchRoute('/login'), { name: 'login' });
  assert.deepEqual(matchRoute('/setup'), { name: 'setup' });
  assert.deepEqual(matchRoute('/account'), { name: 'account' });
  assert.deepEqual(matchRoute('/forgot'), { name: 'forgot' });
  assert.deepEqual(matchRoute('/reset'), { name: 'reset' });
  assert.deepEqual(matchRoute('/sites/example.com'), { name: 'dashboard', domain: 'example.com' });
  assert.deepEqual(matchRoute('/sites/example.com/'), { name: 'dashboard', domain: 'example.com' });
  assert.deepEqual(matchRoute('/sites/example.com/settings'), { name: 'settings', domain: 'example.com' });
  assert.deepEqual(matchRoute('/share/abc123'), { name: 'share', token: 'abc123' });
});

test('unknown and malformed paths are "not found"', () => {
  for (const p of [
    '/nope',
    '/sites',
    '/sites/a/b',
    '/sites/a/settings/x',
    '/share',
    '/share/a/b',
    '/sites/%E0%A4%A',
  ]) {
    assert.deepEqual(matchRoute(p), { name: 'not_found' }, p);
  }
});

test('domains are encoded in paths and decoded back', () => {
  const path = sitePath('ex ample/ü.com', '/settings');
  assert.equal(path, '/sites/ex%20ample%2F%C3%BC.com/settings');
  assert.deepEqual(matchRoute(path), { name: 'settings', domain: 'ex ample/ü.com' });
});

test('the server serves the shell at every view the browser knows', () => {
  const sample: Record<string, string> = { ':domain': 'example.com', ':token': 't0k3n' };
  for (const p of SHELL_PATHS) {
    const concrete = p.replace(/:\w+/g, (m) => sample[m]!);
    assert.notEqual(matchRoute(concrete).name, 'not_found', p);
  }
});

test('after login, only a path on this origin is followed', () => {
  assert.equal(loginTarget('?next=%2Fsites%2Fexample.com%3Fperiod%3D7d'), '/sites/example.com?period=7d');
  for (const evil of [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
  ]) {
    assert.equal(loginTarget(`?next=${encodeURIComponent(evil)}`), '/', evil);
  }
  assert.equal(loginTarget(''), '/');
});
