// `footfall query` flags → the JSON body of a stats query (the same model as POST /api/v2/query).
import { footfallError } from '../errors.js';

export interface QueryFlags {
  site?: string;
  metrics?: string;
  dimensions?: string;
  range?: string;
  filter?: string[];
  order?: string[];
  limit?: string;
  offset?: string;
  compare?: string;
  /** Merge imported data in (include.imports). */
  imports?: boolean;
  steps?: string;
}

function bad(flag: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${flag}: ${what}`);
}

const list = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

function range(text: string | undefined): unknown {
  if (text === undefined) return '30d';
  const parts = text.split(',').map((s) => s.trim());
  return parts.length === 2 ? parts : text;
}

/** `visit:country is DE`, `event:page contains /blog|/docs` (values split on |). */
export function parseFilterFlag(text: string): unknown[] {
  const m = /^\s*(\S+)\s+(is_not|is|contains_not|contains|matches_not|matches)\s+(.*\S)\s*$/.exec(text);
  if (!m)
    bad(
      '--filter',
      `"${text}" is not "<dimension> <is|is_not|contains|contains_not|matches|matches_not> <value>[|<value>…]"`,
    );
  return [m[2], m[1], m[3]!.split('|')];
}

function int(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) bad(flag, `"${text}" is not a whole number`);
  return Number(text);
}

export function queryBodyFromFlags(flags: QueryFlags): Record<string, unknown> {
  if (!flags.site) bad('--site', 'name the site, e.g. --site example.com');
  const body: Record<string, unknown> = {
    site_id: flags.site,
    metrics: list(flags.metrics) ?? ['visitors'],
    date_range: range(flags.range),
  };
  const dimensions = list(flags.dimensions);
  if (dimensions) body.dimensions = dimensions;
  if (flags.filter?.length) body.filters = flags.filter.map(parseFilterFlag);
  if (flags.order?.length) {
    body.order_by = flags.order.map((o) => {
      const i = o.lastIndexOf(':');
      const dir = o.slice(i + 1);
      if (i < 0 || (dir !== 'asc' && dir !== 'desc'))
        bad('--order', `"${o}" is not "<metric or dimension>:asc|desc"`);
      return [o.slice(0, i), dir];
    });
  }
  const pagination: Record<string, number> = {};
  const limit = int(flags.limit, '--limit');
  const offset = int(flags.offset, '--offset');
  if (limit !== undefined) pagination.limit = limit;
  if (offset !== undefined) pagination.offset = offset;
  if (Object.keys(pagination).length) body.pagination = pagination;
  if (flags.compare) body.include = { comparisons: { mode: flags.compare } };
  if (flags.imports) body.include = { ...(body.include as object | undefined), imports: true };
  return body;
}

export function journeyBodyFromFlags(flags: QueryFlags): Record<string, unknown> {
  if (!flags.site) bad('--site', 'name the site, e.g. --site example.com');
  const body: Record<string, unknown> = { site_id: flags.site, date_range: range(flags.range) };
  if (flags.filter?.length) body.filters = flags.filter.map(parseFilterFlag);
  const steps = int(flags.steps, '--steps');
  const limit = int(flags.limit, '--limit');
  if (steps !== undefined) body.steps = steps;
  if (limit !== undefined) body.limit = limit;
  return body;
}
