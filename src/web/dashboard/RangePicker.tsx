// Date range and comparison controls. A <select> (keyboard and screen-reader friendly for
// free); "Custom range" reveals two date inputs.
import { useState } from 'preact/hooks';
import { type DashboardState, PERIODS, type Period } from '../state/url-state.js';
import { PERIOD_LABELS } from '../time/range.js';
import { DateRangeForm } from '../ui/DateRangeForm.js';
import { useDash } from './context.js';

export function RangePicker(props: { today: string }) {
  const dash = useDash();
  const { state } = dash;
  const [custom, setCustom] = useState(state.period === 'custom');
  const [from, setFrom] = useState(state.from ?? props.today);
  const [to, setTo] = useState(state.to ?? props.today);
  const apply = (next: DashboardState) => dash.update(next);
  return (
    <div class="range">
      <label class="range-select">
        <span class="visually-hidden">Date range</span>
        <select
          value={custom ? 'custom' : state.period}
          onChange={(e) => {
            const period = (e.target as HTMLSelectElement).value as Period;
            if (period === 'custom') {
              setCustom(true);
              return;
            }
            setCustom(false);
            // A picked chart interval belongs to the old range.
            const { from: _f, to: _t, interval: _i, ...rest } = state;
            apply({ ...rest, period });
          }}
        >
          {PERIODS.map((p) => (
            <option value={p} key={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      {custom && (
        <DateRangeForm
          from={from}
          to={to}
          today={props.today}
          onFrom={setFrom}
          onTo={setTo}
          onSubmit={() => {
            const { interval: _i, ...rest } = state;
            apply({ ...rest, period: 'custom', from, to });
          }}
          submitLabel="Apply"
        />
      )}
      <label class="compare">
        <input
          type="checkbox"
          checked={state.compare}
          onChange={(e) => apply({ ...state, compare: (e.target as HTMLInputElement).checked })}
        />
        Compare
      </label>
    </div>
  );
}
