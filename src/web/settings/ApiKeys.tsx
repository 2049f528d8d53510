// API keys for this site: created keys are shown once, then only their names remain.
import { useState } from 'preact/hooks';
import { keys } from '../api/account.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { formatWhen } from '../ui/dates.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function ApiKeys(props: { domain: string }) {
  const { api } = useSession();
  const list = useFetch('keys', () => keys.list(api));
  const [name, setName] = useState('');
  const [readOnly, setReadOnly] = useState(true);
  const [created, setCreated] = useState<string | undefined>(undefined);
  const action = useAction();
  // Keys for all of a user's sites list no sites; keys for others' sites are not this page's.
  const mine = (list.data ?? []).filter(
    (k) => !k.sites || k.sites.length === 0 || k.sites.includes(props.domain),
  );
  return (
    <section class="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {created && (
        <div class="note" role="status">
          <p>Copy this key now: it will not be shown again.</p>
          <code class="secret">{created}</code>
          <button type="button" class="btn-link" onClick={() => navigator.clipboard?.writeText(created)}>
            Copy
          </button>
        </div>
      )}
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : mine.length === 0 ? (
        <p class="empty">No API keys.</p>
      ) : (
        <ul class="item-list">
          {mine.map((k) => (
            <li key={String(k.id)}>
              <strong dir="auto">{k.name}</strong>
              <span class="muted">
                {k.readOnly === false ? 'read and write' : 'read only'} · last used {formatWhen(k.lastUsedAt)}
              </span>
              <ConfirmButton
                label="Revoke"
                confirm="Revoke key"
                ariaLabel={`Revoke key ${k.name}`}
                onConfirm={() => action.run(() => keys.revoke(api, k.id).then(list.reload))}
              />
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={action.submit(async () => {
          const res = await keys.create(api, { name: name.trim(), sites: [props.domain], readOnly });
          setCreated(typeof res?.key === 'string' ? res.key : undefined);
          setName('');
          list.reload();
        })}
      >
        <label>
          Name
          <input required value={name} onInput={bind(setName)} placeholder="e.g. reporting script" />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={readOnly}
            onChange={(e) => setReadOnly((e.target as HTMLInputElement).checked)}
          />
          Read only
        </label>
        <button type="submit" class="btn-primary">
          Create key
        </button>
      </form>
      <FormError error={action.error} />
    </section>
  );
}
