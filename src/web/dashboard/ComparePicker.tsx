// What the comparison compares with, once "Compare" is on: the previous period, the same
// dates a year earlier, or a custom range (two dates, applied with a button). Beside the
// range picker rather than inside it, so each keeps one <select>.
import { useState } from 'preact/hooks';
import type { DashboardState } from '../state/url-state.js';
import { DateRangeForm } from '../ui/DateRangeForm.js';
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
        <DateRangeForm
          from={from}
          to={to}
          today={props.today}
          onFrom={setFrom}
          onTo={setTo}
          onSubmit={() => dash.update({ ...rest, compareMode: 'custom', compareFrom: from, compareTo: to })}
          submitLabel="Compare"
        />
      )}
    </div>
  );
}
