// The loading and error states every panel and page shows in its own box.
import { errorText } from '../api/http.js';

export function Loading(props: { label?: string }) {
  return (
    <p class="status" role="status">
      {props.label ?? 'Loading…'}
    </p>
  );
}

/**
 * A panel's first load: grey bars in the shape of what is coming (a ranked list's rows, or one
 * block for a chart) instead of the word "Loading…", so the page does not jump when data lands.
 */
export function Skeleton(props: { rows?: number; block?: boolean }) {
  return (
    <div class="skeleton" role="status" aria-busy="true" aria-label="Loading">
      {props.block ? (
        <span class="skeleton-block" />
      ) : (
        Array.from({ length: props.rows ?? 5 }, (_, i) => <span class="skeleton-row" key={i} />)
      )}
    </div>
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
