// Access-log lines → fields. Every text format is a template in one small language, as in
// GoatCounter's `-format log:…`: `$name` is a field, anything else is literal text. The
// named formats are templates too, and Caddy's JSON log has a reader of its own.
import { ConfigError } from '../server/config.js';

export interface LogFields {
  /** The client: the first X-Forwarded-For address when the log has one, else the peer. */
  ip: string;
  /** Milliseconds since the epoch; NaN when the time does not parse. */
  ts: number;
  method: string;
  /** Path and query, as requested. */
  target: string;
  status: number;
  referrer: string;
  userAgent: string;
  /** The virtual host, '' when the format has none. */
  host: string;
}

export interface LineReader {
  (line: string): LogFields | undefined;
  /** The format records the user agent. */
  readonly userAgents: boolean;
}

export const NAMED_FORMATS: Readonly<Record<string, string>> = {
  common: '$remote_addr $ignore $remote_user [$time_local] "$request" $status $body_bytes_sent',
  combined:
    '$remote_addr $ignore $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"',
  'combined-vhost':
    '$host:$ignore $remote_addr $ignore $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"',
};

/** The fields a template may name; each matches up to the next literal text. */
const FIELDS = new Set([
  'remote_addr',
  'xff',
  'remote_user',
  'time_local',
  'datetime',
  'request',
  'method',
  'path',
  'query',
  'status',
  'body_bytes_sent',
  'size',
  'http_referer',
  'http_user_agent',
  'host',
  'ignore',
]);

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** nginx/Apache `10/Oct/2000:13:55:36 -0700`. */
export function parseTimeLocal(s: string): number {
  // A page's requests share their second: the last text and its time, kept (pure: same text,
  // same time).
  if (s === lastTimeText) return lastTime;
  const ms = parseTimeText(s);
  lastTimeText = s;
  lastTime = ms;
  return ms;
}
let lastTimeText = '';
let lastTime = Number.NaN;

function parseTimeText(s: string): number {
  const fast = timeLocalByPosition(s);
  if (fast !== undefined) return fast;
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.\d+)? ([+-])(\d{2})(\d{2})$/.exec(
    s,
  );
  if (!m || MONTHS[m[2]!] === undefined) return Number.NaN;
  const wall = Date.UTC(+m[3]!, MONTHS[m[2]!]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  const offset = (m[7] === '-' ? -1 : 1) * (+m[8]! * 60 + +m[9]!) * 60_000;
  return wall - offset;
}

/**
 * The usual shape (no fraction: 26 characters) read by position, the same numbers as the
 * regular expression takes; undefined when the text is not exactly that shape. The expression
 * cost ~4 µs a line of an import whose whole budget is ~10 (BENCHMARKS.md).
 */
function timeLocalByPosition(s: string): number | undefined {
  if (s.length !== 26 || s[2] !== '/' || s[6] !== '/' || s[11] !== ':' || s[14] !== ':') return undefined;
  if (s[17] !== ':' || s[20] !== ' ' || (s[21] !== '+' && s[21] !== '-')) return undefined;
  const month = MONTHS[s.slice(3, 6)];
  const day = digits(s, 0, 2);
  const year = digits(s, 7, 4);
  const hour = digits(s, 12, 2);
  const minute = digits(s, 15, 2);
  const second = digits(s, 18, 2);
  const offH = digits(s, 22, 2);
  const offM = digits(s, 24, 2);
  if (month === undefined || (day | year | hour | minute | second | offH | offM) < 0) return undefined;
  const offset = (s[21] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return Date.UTC(year, month, day, hour, minute, second) - offset;
}

/** The decimal number of `n` digits at `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** ISO 8601 with an offset or Z (`$datetime`). */
function parseIso(s: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(s)
    ? Date.parse(s)
    : Number.NaN;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A reader for a template; a ConfigError naming an unknown field or a template without a time. */
export function templateReader(template: string): LineReader {
  const names: string[] = [];
  let pattern = '^';
  const parts = template.split(/\$([a-z_]+)/);
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      pattern += escapeRegex(parts[i]!);
      continue;
    }
    const name = parts[i]!;
    if (!FIELDS.has(name)) {
      throw new ConfigError(
        `unknown field $${name} in the log format: use ${[...FIELDS].map((f) => `$${f}`).join(', ')}`,
      );
    }
    names.push(name);
    // Up to the next literal's first character, which the field cannot contain; the last
    // field takes the rest of the line. No group can overlap another, so a hostile line
    // costs linear time (lazy `(.*?)` groups backtrack polynomially on a line that fails).
    const next = parts[i + 1]!;
    if (next === '' && i + 1 < parts.length - 1)
      throw new ConfigError(`fields $${name} and $${parts[i + 2]} need text between them in the log format`);
    pattern += next === '' ? '(.*)' : `([^${escapeRegex(next[0]!)}]*)`;
  }
  pattern += '$';
  if (!names.includes('time_local') && !names.includes('datetime'))
    throw new ConfigError('the log format has no time: name $time_local or $datetime');
  if (!names.includes('request') && !names.includes('path'))
    throw new ConfigError('the log format has no page: name $request or $path');
  const regex = new RegExp(pattern);
  // Each field's group in the match (0: the template has no such field), found once: an object
  // of the fields built per line was a visible part of an import's allocations.
  const group = (name: string) => names.lastIndexOf(name) + 1;
  const at: Record<string, number> = Object.fromEntries([...FIELDS].map((f) => [f, group(f)]));
  const {
    remote_addr: addr = 0,
    xff = 0,
    time_local: time = 0,
    datetime = 0,
    request = 0,
    method: methodAt = 0,
    path: pathAt = 0,
    query: queryAt = 0,
    status = 0,
    http_referer: referer = 0,
    http_user_agent: agent = 0,
    host = 0,
  } = at;
  const dash = (m: RegExpExecArray, at: number) => {
    const v = at === 0 ? '-' : m[at]!;
    return v === '-' ? '' : v;
  };
  const reader = (line: string): LogFields | undefined => {
    const m = regex.exec(line);
    if (!m) return undefined;
    let method = methodAt ? m[methodAt]! : 'GET';
    let target = '';
    if (pathAt) {
      const query = queryAt ? m[queryAt]! : '';
      target = m[pathAt]! + (query ? `?${query.replace(/^\?/, '')}` : '');
    }
    if (request) {
      const r = /^([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?$/.exec(m[request]!);
      if (!r) return undefined;
      method = r[1]!;
      target = r[2]!;
    }
    const forwarded = xff && m[xff] && m[xff] !== '-' ? m[xff].split(',')[0]!.trim() : '';
    return {
      ip: forwarded || (addr ? m[addr]! : ''),
      ts: time ? parseTimeLocal(m[time]!) : parseIso(m[datetime]!),
      method,
      target,
      status: status ? Number(m[status]) : 200,
      referrer: dash(m, referer),
      userAgent: dash(m, agent),
      host: dash(m, host),
    };
  };
  return Object.assign(reader, { userAgents: names.includes('http_user_agent') });
}

/** Caddy's JSON access log (`log { format json }`), one object a line. */
const readCaddyLine = (line: string): LogFields | undefined => {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  const e = entry as {
    ts?: unknown;
    status?: unknown;
    request?: {
      client_ip?: unknown;
      remote_ip?: unknown;
      method?: unknown;
      host?: unknown;
      uri?: unknown;
      headers?: Record<string, unknown>;
    };
  };
  const r = e?.request;
  if (!r || typeof r.uri !== 'string' || typeof e.ts !== 'number') return undefined;
  const header = (name: string) => {
    const v = r.headers?.[name];
    return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  };
  return {
    ip: String(r.client_ip ?? r.remote_ip ?? ''),
    ts: e.ts * 1000,
    method: String(r.method ?? 'GET'),
    target: r.uri,
    status: Number(e.status ?? 0),
    referrer: header('Referer'),
    userAgent: header('User-Agent'),
    host: typeof r.host === 'string' ? r.host : '',
  };
};
export const caddyReader: LineReader = Object.assign(readCaddyLine, { userAgents: true });

/** `combined`, `common`, `combined-vhost`, `caddy` or `log:<template>`. */
export function logReader(format: string): LineReader {
  if (format === 'caddy') return caddyReader;
  if (format.startsWith('log:')) return templateReader(format.slice(4));
  const template = NAMED_FORMATS[format];
  if (!template) {
    throw new ConfigError(
      `unknown log format ${JSON.stringify(format)}: use combined, common, combined-vhost, caddy or log:'<template>'`,
    );
  }
  return templateReader(template);
}
