// Share links: a read-only dashboard for anyone with the URL (and the password, if set).
import { useState } from 'preact/hooks';
import { segments, shares } from '../api/account.js';
import { absoluteShareUrl } from '../share/share-site.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { formatWhen } from '../ui/dates.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function ShareLinks(props: { domain: string }) {
  const { api } = useSession();
  const list = useFetch(`shares:${props.domain}`, () => shares.list(api, props.domain));
  const [password, setPassword] = useState('');
  const [embeddable, setEmbeddable] = useState(false);
  // A link may show the site through one site segment only (personal ones are not offered).
  const siteSegments = useFetch(`segments:${props.domain}`, () => segments.list(api, props.domain));
  const [segmentId, setSegmentId] = useState('');
  const segmentName = (id: number | null | undefined) =>
    id ? (siteSegments.data?.find((g) => g.id === id)?.name ?? `#${id}`) : undefined;
  const action = useAction();
  const [copied, setCopied] = useState<string | undefined>(undefined);
  return (
    <section class="card" aria-labelledby="shares-heading">
      <h2 id="shares-heading">Share links</h2>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">No share links.</p>
      ) : (
        <ul class="item-list">
          {list.data.map((s) => {
            const url = absoluteShareUrl(s.url, location.origin);
            return (
              <li key={s.id}>
                <code class="share-url">{url}</code>
                <span class="muted">
                  {s.hasPassword ? 'password' : 'no password'}
                  {s.embeddable ? ', embeddable' : ''}
                  {s.segmentId ? <bdi>, segment {segmentName(s.segmentId)}</bdi> : ''} · created{' '}
                  {formatWhen(s.createdAt)}
                </span>
                <span class="row-actions">
                  <button
                    type="button"
                    class="btn-link"
                    onClick={() => navigator.clipboard?.writeText(url).then(() => setCopied(s.id))}
                  >
                    {copied === s.id ? 'Copied' : 'Copy URL'}
                  </button>
                  <ConfirmButton
                    label="Revoke"
                    confirm="Revoke link"
                    onConfirm={() =>
                      action.run(() => shares.revoke(api, props.domain, s.id).then(list.reload))
                    }
                  />
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={action.submit(async () => {
          await shares.create(api, props.domain, {
            ...(password ? { password } : {}),
            embeddable,
            ...(segmentId ? { segment_id: Number(segmentId) } : {}),
          });
          setPassword('');
          list.reload();
        })}
      >
        <label>
          Password (optional)
          <input type="password" autocomplete="new-password" value={password} onInput={bind(setPassword)} />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={embeddable}
            onChange={(e) => setEmbeddable((e.target as HTMLInputElement).checked)}
          />
          Embeddable
        </label>
        {(siteSegments.data ?? []).some((g) => g.type === 'site') && (
          <label>
            Only the segment
            <select value={segmentId} onChange={(e) => setSegmentId((e.target as HTMLSelectElement).value)}>
              <option value="">(the whole site)</option>
              {(siteSegments.data ?? [])
                .filter((g) => g.type === 'site')
                .map((g) => (
                  <option key={g.id} value={String(g.id)}>
                    {g.name}
                  </option>
                ))}
            </select>
          </label>
        )}
        <button type="submit" class="btn-primary">
          Create share link
        </button>
      </form>
      <FormError error={action.error} />
    </section>
  );
}
