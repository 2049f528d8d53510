// "Segments": the site's saved segments and the viewer's own. Applying one puts a
// `is,segment,<id>` filter in the URL (replacing another segment's, keeping other filters);
// the current filters can be saved as a new segment, personal or for everyone on the site;
// segments can be renamed and deleted (the server decides who may). A share page lists the
// site segments it may use and saves nothing.
import { useState } from 'preact/hooks';
import { segments } from '../api/account.js';
import type { SegmentInfo, SimpleFilter } from '../api/types.js';
import { SEGMENT_DIMENSION } from '../state/dimensions.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { Modal } from '../ui/Modal.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';
import { useDash } from './context.js';

const isSegment = (f: SimpleFilter) => f[1] === SEGMENT_DIMENSION;

/** The site's segments the viewer may use, by id (for the filter chips' names; fetched only when `wanted`). */
export function useSegments(wanted: boolean): Map<number, SegmentInfo> {
  const dash = useDash();
  const list = useFetch(wanted ? `segments:${dash.domain}` : null, () =>
    segments.list(dash.api, dash.domain),
  );
  return new Map((list.data ?? []).map((s) => [s.id, s]));
}

function SegmentRow(props: { segment: SegmentInfo; onChanged: () => void; onApply: () => void }) {
  const dash = useDash();
  const { segment } = props;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(segment.name);
  const action = useAction();
  const readOnly = dash.api.shareToken !== undefined;
  return (
    <li data-segment={segment.id}>
      {renaming ? (
        <form
          class="inline-form"
          onSubmit={action.submit(async () => {
            await segments.rename(dash.api, dash.domain, segment.id, name);
            setRenaming(false);
            props.onChanged();
          })}
        >
          <label>
            New name
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="btn-primary" disabled={action.busy}>
            Save
          </button>
        </form>
      ) : (
        <>
          <strong dir="auto">{segment.name}</strong>{' '}
          <span class="muted">{segment.type === 'site' ? 'everyone on the site' : 'only you'}</span>
        </>
      )}
      <span class="row-actions">
        <button
          type="button"
          class="btn"
          aria-label={`Apply segment ${segment.name}`}
          onClick={props.onApply}
        >
          Apply
        </button>
        {!readOnly && !renaming && (
          <button
            type="button"
            class="btn-link"
            aria-label={`Rename segment ${segment.name}`}
            onClick={() => setRenaming(true)}
          >
            Rename
          </button>
        )}
        {!readOnly && (
          <ConfirmButton
            label="Delete"
            confirm="Delete segment"
            ariaLabel={`Delete segment ${segment.name}`}
            onConfirm={() =>
              action.run(async () => {
                await segments.remove(dash.api, dash.domain, segment.id);
                props.onChanged();
              })
            }
          />
        )}
      </span>
      <FormError error={action.error} />
    </li>
  );
}

function SegmentPanel(props: { onDone: () => void }) {
  const dash = useDash();
  const list = useFetch(`segments:${dash.domain}`, () => segments.list(dash.api, dash.domain));
  const [name, setName] = useState('');
  const [forSite, setForSite] = useState(false);
  const action = useAction();
  const own = dash.state.filters.filter((f) => !isSegment(f));
  const apply = (id: number) => {
    dash.update({ ...dash.state, filters: [...own, ['is', SEGMENT_DIMENSION, [String(id)]]] });
    props.onDone();
  };
  return (
    <div class="segment-panel">
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">No saved segments yet.</p>
      ) : (
        <ul class="item-list segment-list">
          {list.data.map((s) => (
            <SegmentRow key={s.id} segment={s} onChanged={list.reload} onApply={() => apply(s.id)} />
          ))}
        </ul>
      )}
      {dash.api.shareToken === undefined && own.length > 0 && (
        <form
          class="filter-form"
          onSubmit={action.submit(async () => {
            await segments.create(dash.api, dash.domain, {
              name,
              type: forSite ? 'site' : 'personal',
              filters: own,
            });
            setName('');
            list.reload();
          })}
        >
          <h3>Save the current filters</h3>
          <label>
            Segment name
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={forSite}
              onChange={(e) => setForSite((e.target as HTMLInputElement).checked)}
            />
            Everyone who can see this site may use it
          </label>
          <FormError error={action.error} />
          <div class="form-actions">
            <button type="submit" class="btn-primary" disabled={action.busy}>
              Save segment
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

export function SegmentMenu() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="btn" onClick={() => setOpen(true)}>
        Segments
      </button>
      {open && (
        <Modal title="Segments" onClose={() => setOpen(false)}>
          <SegmentPanel onDone={() => setOpen(false)} />
        </Modal>
      )}
    </>
  );
}
