// The chart's bucket (hour / day / week / month), offered only where the range makes it
// sensible (time/range.ts intervalsFor); hidden when the range has one choice.
import { chooseInterval, intervalsFor } from '../time/range.js';
import { useDash } from './context.js';

const NAMES = { hour: 'Hours', day: 'Days', week: 'Weeks', month: 'Months' } as const;

export function IntervalPicker() {
  const dash = useDash();
  const options = intervalsFor(dash.state);
  if (options.length < 2) return null;
  const current = chooseInterval(dash.state);
  return (
    <fieldset class="interval-picker" aria-label="Chart interval">
      {options.map((i) => (
        <button
          type="button"
          key={i}
          aria-pressed={i === current}
          data-interval={i}
          onClick={() => dash.update({ ...dash.state, interval: i })}
        >
          {NAMES[i]}
        </button>
      ))}
    </fieldset>
  );
}
