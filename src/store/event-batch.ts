// A batch of events held by column, for engines that take a batch whole (an import of a file,
// store/duckdb/bulk-import.ts). Strings are kept once per batch in a dictionary and each row
// holds their codes: a log's rows repeat a few dozen browsers, pages, countries and sources,
// so a row costs a few map lookups and array pushes instead of a JSON line of 34 keys (the
// JSON encoding was the largest item of an import's profile, BENCHMARKS.md), and the store
// converts each distinct string once. Columns follow EVENT_COLUMNS, so a column added there
// arrives here without an edit.
import { EVENT_COLUMNS, type ValueKind } from './event-columns.js';
import type { EventRow } from './event-row.js';

/** What a column holds in a batch: a number, a 64-bit id, a flag, or a code into `strings`. */
export type BatchKind = 'number' | 'u64' | 'bool' | 'code';

export function batchKind(kind: ValueKind): BatchKind {
  switch (kind) {
    case 'u8':
    case 'u32':
    case 'epoch_ms':
      return 'number';
    case 'u64':
      return 'u64';
    case 'bool':
      return 'bool';
    default:
      // text, currency, the decimal's exact text, and props as the JSON of their object.
      return 'code';
  }
}

/** EventRow's field for a column (the columns are its fields in snake case). */
export function rowField(column: string): string {
  return column.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
}

/**
 * The row's own values, read by field rather than through EventColumn.get, which gives the
 * journal's forms (64-bit ids as decimal text, props as an object).
 */
const READ = EVENT_COLUMNS.map((c) => ({
  field: rowField(c.name),
  kind: batchKind(c.kind),
  props: c.kind === 'props',
}));

export class EventBatch {
  /** The dictionary: code → string, each string once. */
  readonly strings: string[] = [];
  /** Per EVENT_COLUMNS entry, its values by row (null for a nullable column's missing value). */
  readonly columns: unknown[][] = EVENT_COLUMNS.map(() => []);
  private readonly codes = new Map<string, number>();
  /**
   * Per column, the string last coded and its code: a row's hostname, title, empty UTM fields,
   * and a visit's browser and place repeat from row to row, and a comparison is cheaper than
   * the dictionary's lookup (most of `add`'s time in a log import's profile).
   */
  private readonly last: unknown[] = READ.map(() => undefined);
  private readonly lastCode: number[] = READ.map(() => 0);

  get length(): number {
    return this.columns[0]!.length;
  }

  add(row: EventRow): void {
    const r = row as unknown as Record<string, unknown>;
    for (let i = 0; i < READ.length; i++) {
      const c = READ[i]!;
      const v = r[c.field] ?? null;
      if (c.props) {
        const props = v as EventRow['props'];
        this.columns[i]!.push(
          this.code(props.length === 0 ? '{}' : JSON.stringify(Object.fromEntries(props))),
        );
      } else if (v === null || c.kind !== 'code') this.columns[i]!.push(v);
      else if (v === this.last[i]) this.columns[i]!.push(this.lastCode[i]);
      else {
        const code = this.code(v as string);
        this.last[i] = v;
        this.lastCode[i] = code;
        this.columns[i]!.push(code);
      }
    }
  }

  private code(s: string): number {
    let code = this.codes.get(s);
    if (code === undefined) {
      code = this.strings.length;
      this.strings.push(s);
      this.codes.set(s, code);
    }
    return code;
  }
}
