// A destructive button that asks once more, in place ("Revoke" → "Really revoke?").
import { useState } from 'preact/hooks';

export function ConfirmButton(props: {
  label: string;
  confirm: string;
  onConfirm: () => void;
  ariaLabel?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        class="btn-danger-link"
        aria-label={props.ariaLabel}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <button
        type="button"
        class="btn-danger"
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirm}
      </button>
      <button type="button" class="btn-link" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
