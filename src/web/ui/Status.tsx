// The loading and error states every panel and page shows in its own box.
import { errorText } from '../api/http.js';

export function Loading(props: { label?: string }) {
  return (
    <p class="status" role="status">
      {props.label ?? 'Loading…'}
    </p>
  );
}

export function ErrorNote(props: { error: unknown; retry?: () => void }) {
  return (
    <div class="status status-error" role="alert">
      <span>{errorText(props.error)}</span>
      {props.retry && (
        <button type="button" class="btn-link" onClick={props.retry}>
          Retry
        </button>
      )}
    </div>
  );
}
