// What the comparison compares with, once "Compare" is on: the previous period, the same
// dates a year earlier, or a custom range (two dates, applied with a button). Beside the
// range picker rather than inside it, so each keeps one <select>.
import { useState } from 'preact/hooks';
import { type DashboardState, isDate } from '../state/url-state.js';
import { useDash } from './context.js';

type Mode = 'previous_period' | 'year_over_year' | 'custom';

const MODES: [Mode, string][] = [
  ['previous_period', 'Previous period'],
  ['year_over_year', 'Same period last year'],
  ['custom', 'Custom range…'],
];

/** The dashed line's name in the chart's tooltip. */
export function compareLabel(state: DashboardState): string {
  if (state.compareMode === 'year_over_year') return 'Last year';
  if (state.compareMode === 'custom') return `${state.compareFrom} – ${state.compareTo}`;
  return 'Previous period';
}

export function ComparePicker(props: { today: string }) {
  const dash = useDash();
  const { state } = dash;
  const [mode, setMode] = useState<Mode>(state.compareMode ?? 'previous_period');
  const [from, setFrom] = useState(state.compareFrom ?? props.today);
  const [to, setTo] = useState(state.compareTo ?? props.today);
  if (!state.compare) return null;
  const { compareMode: _m, compareFrom: _f, compareTo: _t, ...rest } = state;
  const valid = isDate(from) && isDate(to) && from <= to;
  return (
    <div class="compare-with">
      <label>
        <span class="visually-hidden">Compare with</span>
        <select
          value={mode}
          onChange={(e) => {
            const next = (e.target as HTMLSelectElement).value as Mode;
            setMode(next);
            if (next === 'previous_period') dash.update(rest);
            if (next === 'year_over_year') dash.update({ ...rest, compareMode: next });
          }}
        >
          {MODES.map(([m, label]) => (
            <option value={m} key={m}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {mode === 'custom' && (
        <form
          class="range-custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) dash.update({ ...rest, compareMode: 'custom', compareFrom: from, compareTo: to });
          }}
        >
          <label>
            From{' '}
            <input
              type="date"
              value={from}
              max={props.today}
              onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
            />
          </label>
          <label>
            To{' '}
            <input
              type="date"
              value={to}
              max={props.today}
              onInput={(e) => setTo((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" disabled={!valid}>
            Compare
          </button>
        </form>
      )}
    </div>
  );
}
