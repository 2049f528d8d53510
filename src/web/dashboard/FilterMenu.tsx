// "Filter": any dimension with is / is not / contains, and a value picked from the top
// values in the current range (a datalist, so any other value can be typed too).
import { useState } from 'preact/hooks';
import { query } from '../api/stats.js';
import { dimensionText, type FilterOp } from '../api/types.js';
import { FILTER_DIMENSIONS } from '../state/dimensions.js';
import { Modal } from '../ui/Modal.js';
import { useDebounced } from '../ui/use-debounced.js';
import { useFetch } from '../ui/use-fetch.js';
import { useDash } from './context.js';
import { breakdownRequest } from './requests.js';

const OPS: { op: FilterOp; label: string }[] = [
  { op: 'is', label: 'is' },
  { op: 'is_not', label: 'is not' },
  { op: 'contains', label: 'contains' },
];
const PROPERTY = '__property__';

function FilterForm(props: { onDone: () => void }) {
  const dash = useDash();
  const [dim, setDim] = useState('event:page');
  const [propKey, setPropKey] = useState('');
  const [op, setOp] = useState<FilterOp>('is');
  const [value, setValue] = useState('');
  const search = useDebounced(value, 250);
  const realDim = dim === PROPERTY ? `event:props:${propKey.trim()}` : dim;
  // Goals are selected by name with is or contains only (as in Plausible's API).
  const ops = dim === 'event:goal' ? OPS.filter((o) => o.op !== 'is_not') : OPS;
  const chosenOp = ops.some((o) => o.op === op) ? op : 'is';
  const ready = value !== '' && (dim !== PROPERTY || propKey.trim() !== '');
  const req =
    dim === PROPERTY && !propKey.trim()
      ? null
      : breakdownRequest(dash.scope, realDim, ['visitors'], { limit: 50, search });
  const suggestions = useFetch(req && JSON.stringify(req), (signal) => query(dash.api, req!, signal));
  return (
    <form
      class="filter-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        dash.addFilter([chosenOp, realDim, [value]]);
        props.onDone();
      }}
    >
      <label>
        Dimension
        <select value={dim} onChange={(e) => setDim((e.target as HTMLSelectElement).value)}>
          {FILTER_DIMENSIONS.map((d) => (
            <option key={d.dim} value={d.dim}>
              {d.label}
            </option>
          ))}
          <option value={PROPERTY}>Event property…</option>
        </select>
      </label>
      {dim === PROPERTY && (
        <label>
          Property name
          <input required value={propKey} onInput={(e) => setPropKey((e.target as HTMLInputElement).value)} />
        </label>
      )}
      <label>
        Operator
        <select value={chosenOp} onChange={(e) => setOp((e.target as HTMLSelectElement).value as FilterOp)}>
          {ops.map((o) => (
            <option key={o.op} value={o.op}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Value
        <input
          required
          list="filter-values"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <datalist id="filter-values">
          {(suggestions.data?.results ?? []).map((r) => (
            <option key={dimensionText(r)} value={dimensionText(r)} />
          ))}
        </datalist>
      </label>
      <div class="form-actions">
        <button type="submit" class="btn-primary" disabled={!ready}>
          Add filter
        </button>
      </div>
    </form>
  );
}

export function FilterMenu() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="btn" onClick={() => setOpen(true)}>
        + Filter
      </button>
      {open && (
        <Modal title="Add a filter" onClose={() => setOpen(false)}>
          <FilterForm onDone={() => setOpen(false)} />
        </Modal>
      )}
    </>
  );
}
