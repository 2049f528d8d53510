// A ranked table: each row's label is a button (click or Enter adds a filter) over a bar
// sized by its first metric. Every value is a tracked string, rendered as text with
// dir="auto" so a right-to-left or control-character payload cannot reorder the rest of the row.
import { dimensionText, type Metric, type QueryRow } from '../api/types.js';
import { formatExact, formatMetric, formatMoney, METRIC_LABELS } from '../format/number.js';
import { displayValue } from '../format/value.js';
import { safeHttpUrl } from '../ui/safe-url.js';
import { METRIC_HEADINGS } from './tabs.js';

export interface RankedListProps {
  heading: string;
  /** The dimension the rows are values of (some are shown by name: format/value.ts). */
  dim?: string;
  rows: QueryRow[];
  metrics: Metric[];
  onPick?: (value: string) => void;
  /** An external link for a value (only http(s) URLs survive safeHttpUrl). */
  linkFor?: (value: string) => string | undefined;
}

/** Revenue columns show only where some row has revenue (a site without revenue goals has none). */
const REVENUE: readonly Metric[] = ['total_revenue', 'average_revenue'];

export function RankedList(props: RankedListProps) {
  const max = Math.max(1, ...props.rows.map((r) => r.metrics[0] ?? 0));
  const columns = props.metrics
    .map((m, i) => [m, i] as const)
    .filter(([m, i]) => !REVENUE.includes(m) || props.rows.some((r) => r.money?.[i]));
  return (
    <table class="ranked">
      <thead>
        <tr>
          <th scope="col" class="ranked-dim">
            {props.heading}
          </th>
          {columns.map(([m]) => (
            <th scope="col" class="num" key={m} title={METRIC_LABELS[m]}>
              {METRIC_HEADINGS[m]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const value = dimensionText(row);
          const text = displayValue(value, props.dim);
          const href = props.linkFor ? safeHttpUrl(props.linkFor(value)) : undefined;
          return (
            <tr key={value}>
              <td class="ranked-cell">
                <span class="ranked-label">
                  <span class="bar" style={{ width: `${((row.metrics[0] ?? 0) / max) * 100}%` }} />
                  {props.onPick ? (
                    <button type="button" class="row-pick" title={text} onClick={() => props.onPick?.(value)}>
                      <span dir="auto">{text}</span>
                    </button>
                  ) : (
                    <span class="row-text" title={text} dir="auto">
                      {text}
                    </span>
                  )}
                  {href && (
                    <a
                      class="row-out"
                      href={href}
                      target="_blank"
                      rel="noopener noreferrer nofollow"
                      aria-label={`Open ${text}`}
                    >
                      ↗
                    </a>
                  )}
                </span>
              </td>
              {columns.map(([m, i]) => (
                <td
                  class="num"
                  key={m}
                  data-metric={m}
                  title={row.money?.[i] ? formatMoney(row.money[i]) : formatExact(row.metrics[i])}
                >
                  {formatMetric(m, row.metrics[i], row.money?.[i])}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
