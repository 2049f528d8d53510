// Accounts in tests: users added through the running server's own store, signing in
// through the real login route, and requests carrying one identity's credentials.
import { PasswordHasher } from '../../src/auth/passwords.js';
import { createUser } from '../../src/auth/users.js';
import type { UserRole } from '../../src/store/accounts.js';
import type { TestServer } from './server.js';

export const PASSWORD = 'correct horse battery';

/** Credentials one request carries. */
export interface Creds {
  cookie?: string;
  csrf?: string;
  bearer?: string;
  share?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

const hasher = new PasswordHasher();

export async function addUser(
  server: TestServer,
  email: string,
  role: UserRole = 'member',
  password = PASSWORD,
): Promise<number> {
  return (await createUser(server.store.accounts, hasher, { email, password, role }, Date.now())).id;
}

export async function call(
  server: { url: string },
  method: string,
  path: string,
  options: { as?: Creds; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const as = options.as ?? {};
  if (as.cookie) headers.cookie = as.cookie;
  if (as.csrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = as.csrf;
  if (as.bearer) headers.authorization = `Bearer ${as.bearer}`;
  if (as.share) headers['x-footfall-share'] = as.share;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** The `name=value` part of a Set-Cookie header for `name`. */
export function cookieFrom(headers: Headers, name: string): string | undefined {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`));
}

/** Signs in through POST /api/auth/login and reads the CSRF token from /api/auth/me. */
export async function login(
  server: { url: string },
  email: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
): Promise<Creds> {
  const res = await call(server, 'POST', '/api/auth/login', { body: { email, password }, headers });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  const cookie = cookieFrom(res.headers, 'footfall_session')!;
  const me = await call(server, 'GET', '/api/auth/me', { as: { cookie } });
  return { cookie, csrf: (me.body as { csrf: string }).csrf };
}

export function errorCode(answer: Answer): string | undefined {
  return (answer.body as { error?: { code?: string } })?.error?.code;
}

/** A clock tests move by hand (ServeDeps.now). */
export function manualClock(start = Date.now()): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export const DAY_MS = 24 * 3600 * 1000;
