// A panel's "details" view: the whole breakdown, 20 rows a page, with a search box that
// becomes a `contains` filter in the query (the server searches, not the page).
import { useState } from 'preact/hooks';
import { query } from '../api/stats.js';
import type { Filter, Metric } from '../api/types.js';
import { useDash } from '../dashboard/context.js';
import { csvOf, detailsRequest, download, fileName } from '../dashboard/export.js';
import { breakdownRequest } from '../dashboard/requests.js';
import { formatExact } from '../format/number.js';
import { Modal } from '../ui/Modal.js';
import { ErrorNote, Skeleton } from '../ui/Status.js';
import { useDebounced } from '../ui/use-debounced.js';
import { useFetch } from '../ui/use-fetch.js';
import { RankedList } from './RankedList.js';

const PAGE = 20;

export interface DetailsProps {
  title: string;
  heading: string;
  dim: string;
  metrics: Metric[];
  extraFilters?: Filter[];
  linkFor?: (value: string) => string | undefined;
  onClose: () => void;
}

export function Details(props: DetailsProps) {
  const dash = useDash();
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed, 250);
  const [page, setPage] = useState({ search: '', offset: 0 });
  // A new search starts again from its first page.
  const offset = page.search === search ? page.offset : 0;
  const setOffset = (n: number) => setPage({ search, offset: n });
  const req = breakdownRequest(dash.scope, props.dim, props.metrics, {
    limit: PAGE,
    offset,
    search,
    extraFilters: props.extraFilters,
    totalRows: true,
  });
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal));
  const total = res.data?.meta.total_rows;
  const count = res.data?.results.length ?? 0;
  return (
    <Modal title={props.title} onClose={props.onClose} wide>
      <input
        type="search"
        class="details-search"
        placeholder="Search"
        aria-label={`Search ${props.heading}`}
        value={typed}
        onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          // Escape clears typed text, else closes: said here rather than left to the browser's
          // search-box and dialog handling, which differ in when the first press is swallowed.
          if (e.key !== 'Escape') return;
          e.preventDefault();
          if (typed === '') props.onClose();
          else setTyped('');
        }}
      />
      <div class={res.loading ? 'details-body is-loading' : 'details-body'} aria-busy={res.loading}>
        {res.error !== undefined ? (
          <ErrorNote error={res.error} retry={res.reload} />
        ) : res.data ? (
          count === 0 ? (
            <p class="empty">Nothing found</p>
          ) : (
            <RankedList
              heading={props.heading}
              dim={props.dim}
              rows={res.data.results}
              metrics={props.metrics}
              linkFor={props.linkFor}
              onPick={(value) => {
                dash.addFilter(['is', props.dim, [value]]);
                props.onClose();
              }}
            />
          )
        ) : (
          <Skeleton rows={10} />
        )}
      </div>
      <button
        type="button"
        class="btn-link details-download"
        onClick={async () => {
          const req = detailsRequest(dash.scope, props.dim, props.metrics, props.extraFilters, search);
          const csv = csvOf(props.heading, props.metrics, await query(dash.api, req));
          download(`${fileName(props.heading)}.csv`, csv, 'text/csv;charset=utf-8');
        }}
      >
        Download CSV
      </button>
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ← Previous
        </button>
        <span>
          {count > 0 ? `${formatExact(offset + 1)}–${formatExact(offset + count)}` : '0'}
          {total !== undefined ? ` of ${formatExact(total)}` : ''}
        </span>
        <button
          type="button"
          disabled={total !== undefined ? offset + count >= total : count < PAGE}
          onClick={() => setOffset(offset + PAGE)}
        >
          Next →
        </button>
      </nav>
    </Modal>
  );
}
