// The active filters as chips; each has a remove button that names what it removes.
import type { SimpleFilter } from '../api/types.js';
import { dimensionLabel } from '../state/dimensions.js';
import { withoutFilter } from '../state/url-state.js';
import { useDash } from './context.js';

const OP_LABELS: Record<string, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  contains_not: 'does not contain',
  matches: 'matches',
  matches_not: 'does not match',
};

export function filterText(f: SimpleFilter): string {
  return `${dimensionLabel(f[1])} ${OP_LABELS[f[0]] ?? f[0]} ${f[2].map((v) => (v === '' ? '(none)' : v)).join(' or ')}`;
}

export function FilterChips() {
  const dash = useDash();
  if (dash.state.filters.length === 0) return null;
  return (
    <ul class="chips" aria-label="Filters">
      {dash.state.filters.map((f, i) => (
        <li class="chip" key={`${f[0]}|${f[1]}|${f[2].join('|')}`} data-dim={f[1]}>
          <span class="chip-text" title={filterText(f)}>
            {dimensionLabel(f[1])} {OP_LABELS[f[0]] ?? f[0]}{' '}
            <bdi>{f[2].map((v) => (v === '' ? '(none)' : v)).join(' or ')}</bdi>
          </span>
          <button
            type="button"
            class="chip-remove"
            aria-label={`Remove filter: ${filterText(f)}`}
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
