// A from–to pair of date fields with a submit button, for a custom range and for a custom
// comparison: the button is enabled only for two dates in order, none after today.
import { isDate } from '../state/url-state.js';

export function DateRangeForm(props: {
  from: string;
  to: string;
  today: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  onSubmit: () => void;
  submitLabel: string;
}) {
  const valid = isDate(props.from) && isDate(props.to) && props.from <= props.to;
  return (
    <form
      class="range-custom"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) props.onSubmit();
      }}
    >
      <label>
        From{' '}
        <input
          type="date"
          value={props.from}
          max={props.today}
          onInput={(e) => props.onFrom((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        To{' '}
        <input
          type="date"
          value={props.to}
          max={props.today}
          onInput={(e) => props.onTo((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" disabled={!valid}>
        {props.submitLabel}
      </button>
    </form>
  );
}
