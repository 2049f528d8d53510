// The last step of compiling a Stats API query, whichever source the partial queries read
// (compile.ts over events, compile-visits.ts over the visits table): join the partial queries
// on the dimensions, select the metrics, order and page.
import type { Dialect, Params } from './dialect.js';
import { isBucketDimension } from './dimensions.js';
import { METRIC_DEFS } from './metrics.js';
import type { Query } from './model.js';

/** A partial query (a CTE), in join order; `left` ones only add columns to the rows of those before. */
export interface Part {
  name: string;
  left?: boolean;
}

export interface CompiledQuery {
  sql: string;
  params: (string | number | boolean | null)[];
}

export function assemble(
  query: Query,
  unpaged: boolean,
  s: { params: Params; ctes: string[]; parts: Part[]; dimCols: string[] },
): CompiledQuery {
  const { params, ctes, parts, dimCols } = s;
  let fromSql = parts[0]!.name;
  for (const p of parts.slice(1)) {
    if (dimCols.length === 0) fromSql += ` CROSS JOIN ${p.name}`;
    else fromSql += ` ${p.left ? 'LEFT' : 'FULL'} JOIN ${p.name} USING (${dimCols.join(', ')})`;
  }
  if (query.metrics.includes('percentage')) fromSql += ' CROSS JOIN total';

  const metricSelect = query.metrics.map((m) => `${METRIC_DEFS[m].sql} AS ${m}`);
  const order = orderBy(query, dimCols);
  const page = unpaged
    ? ''
    : ` LIMIT ${params.add(query.pagination.limit)} OFFSET ${params.add(query.pagination.offset)}`;
  const sql =
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT ${[...shownDims(query, dimCols, params.dialect), ...metricSelect, 'count(*) OVER () AS total_rows'].join(', ')} FROM ${fromSql}` +
    `${order ? ` ORDER BY ${order}` : ''}${page}`;
  return { sql, params: params.values };
}

/** The result's dimension columns d0, d1…: a time bucket as its label (dialect.ts, timeBucket). */
export function shownDims(query: Query, dimCols: string[], dialect: Dialect): string[] {
  return dimCols.map((c, i) =>
    isBucketDimension(query.dimensions[i]!) ? `${dialect.bucketText(c)} AS ${c}` : c,
  );
}

/** The ORDER BY of a result over columns d0, d1… and metric columns (also used by goals.ts). */
export function orderBy(query: Query, dimCols: string[]): string {
  const terms: string[] = [];
  const column = (name: string) => {
    const i = query.dimensions.indexOf(name);
    return i >= 0 ? dimCols[i]! : name;
  };
  if (query.orderBy) {
    for (const [name, dir] of query.orderBy) terms.push(`${column(name)} ${dir.toUpperCase()}`);
  } else {
    // Plausible's default: time ascending when there is a time dimension, else the first metric descending.
    const time = query.dimensions.find((d) => d.startsWith('time'));
    if (time) terms.push(`${column(time)} ASC`);
    else if (query.dimensions.length > 0) terms.push(`${query.metrics[0]} DESC`);
  }
  // Ties broken by the dimensions, so pages never overlap or skip rows.
  for (const c of dimCols) terms.push(`${c} ASC`);
  return terms.join(', ');
}
