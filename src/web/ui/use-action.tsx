// What every form and button that calls the API shares: a busy flag while it runs, and its
// failure shown as a message (cleared when it runs again).
import { useState } from 'preact/hooks';
import { errorText } from '../api/http.js';

export interface Action {
  error: string | undefined;
  busy: boolean;
  setError(message: string | undefined): void;
  /** Runs `fn`; a failure becomes `error`. */
  run(fn: () => Promise<void>): Promise<void>;
  /** A form's onSubmit: runs `fn` instead of submitting the page. */
  submit(fn: () => Promise<void>): (e: Event) => Promise<void>;
}

export function useAction(): Action {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return {
    error,
    busy,
    setError,
    run,
    submit: (fn) => async (e) => {
      e.preventDefault();
      await run(fn);
    },
  };
}

/** The message of a failed action, announced to screen readers. */
export function FormError(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p class="form-error" role="alert">
      {props.error}
    </p>
  );
}
