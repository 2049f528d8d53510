// Which view a path shows. Pure (no DOM), so the table is unit-tested; the server serves the
// same HTML shell at each of these paths (src/web/routes.ts).

export type Route =
  | { name: 'sites' }
  | { name: 'login' }
  | { name: 'setup' }
  | { name: 'invite' }
  | { name: 'forgot' }
  | { name: 'reset' }
  | { name: 'account' }
  | { name: 'dashboard'; domain: string }
  | { name: 'settings'; domain: string }
  | { name: 'share'; token: string }
  | { name: 'not_found' };

function segment(s: string): string | undefined {
  try {
    const v = decodeURIComponent(s);
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

export function matchRoute(pathname: string): Route {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  const [a, b, c, ...rest] = parts;
  if (parts.length === 0 || (parts.length === 1 && a === '')) return { name: 'sites' };
  if (rest.length > 0) return { name: 'not_found' };
  if (
    parts.length === 1 &&
    (a === 'login' || a === 'setup' || a === 'invite' || a === 'forgot' || a === 'reset' || a === 'account')
  )
    return { name: a };
  if (a === 'sites' && b !== undefined) {
    const domain = segment(b);
    if (!domain) return { name: 'not_found' };
    if (c === undefined) return { name: 'dashboard', domain };
    if (c === 'settings') return { name: 'settings', domain };
  }
  if (a === 'share' && b !== undefined && c === undefined) {
    const token = segment(b);
    if (token) return { name: 'share', token };
  }
  return { name: 'not_found' };
}

export function sitePath(domain: string, suffix = ''): string {
  return `/sites/${encodeURIComponent(domain)}${suffix}`;
}

/** Where to go after login: only a path on this origin. */
export function loginTarget(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
