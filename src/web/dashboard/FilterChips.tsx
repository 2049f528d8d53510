// The active filters as chips; each has a remove button that names what it removes.
import type { SegmentInfo, SimpleFilter } from '../api/types.js';
import { dimensionLabel, SEGMENT_DIMENSION } from '../state/dimensions.js';
import { withoutFilter } from '../state/url-state.js';
import { useDash } from './context.js';
import { useSegments } from './SegmentMenu.js';

const OP_LABELS: Record<string, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  contains_not: 'does not contain',
  matches: 'matches',
  matches_not: 'does not match',
};

/** A filter's values as shown: a segment by its name (its id while the list loads or if it is gone). */
function valuesText(f: SimpleFilter, segments: Map<number, SegmentInfo>): string {
  if (f[1] === SEGMENT_DIMENSION)
    return f[2].map((v) => segments.get(Number(v))?.name ?? `#${v}`).join(' or ');
  return f[2].map((v) => (v === '' ? '(none)' : v)).join(' or ');
}

export function filterText(f: SimpleFilter, segments: Map<number, SegmentInfo> = new Map()): string {
  return `${dimensionLabel(f[1])} ${OP_LABELS[f[0]] ?? f[0]} ${valuesText(f, segments)}`;
}

export function FilterChips() {
  const dash = useDash();
  const segments = useSegments(dash.state.filters.some((f) => f[1] === SEGMENT_DIMENSION));
  if (dash.state.filters.length === 0) return null;
  return (
    <ul class="chips" aria-label="Filters">
      {dash.state.filters.map((f, i) => (
        <li class="chip" key={`${f[0]}|${f[1]}|${f[2].join('|')}`} data-dim={f[1]}>
          <span class="chip-text" title={filterText(f, segments)}>
            {dimensionLabel(f[1])} {OP_LABELS[f[0]] ?? f[0]} <bdi>{valuesText(f, segments)}</bdi>
          </span>
          <button
            type="button"
            class="chip-remove"
            aria-label={`Remove filter: ${filterText(f, segments)}`}
            onClick={() => dash.update(withoutFilter(dash.state, i))}
          >
            ×
          </button>
        </li>
      ))}
      {dash.state.filters.length > 1 && (
        <li>
          <button type="button" class="btn-link" onClick={() => dash.update({ ...dash.state, filters: [] })}>
            Clear all
          </button>
        </li>
      )}
    </ul>
  );
}
