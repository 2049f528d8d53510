// Who else may see (viewer) or manage (admin) this site.
import { useState } from 'preact/hooks';
import { members } from '../api/account.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function Members(props: { domain: string }) {
  const { api } = useSession();
  const list = useFetch(`members:${props.domain}`, () => members.list(api, props.domain));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('viewer');
  const action = useAction();
  return (
    <section class="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p class="muted">
        Owners see every site. Give others a role here; an owner adds people on the Account page.
      </p>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">Only you.</p>
      ) : (
        <ul class="item-list">
          {list.data.map((m) => (
            <li key={String(m.userId)}>
              <span dir="auto">{m.email}</span>
              <span class="muted">{m.role}</span>
              {m.role !== 'owner' && (
                <ConfirmButton
                  label="Remove"
                  confirm="Remove member"
                  ariaLabel={`Remove ${m.email}`}
                  onConfirm={() =>
                    action.run(() => members.remove(api, props.domain, m.userId).then(list.reload))
                  }
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={action.submit(async () => {
          await members.add(api, props.domain, { email: email.trim(), role });
          setEmail('');
          list.reload();
        })}
      >
        <label>
          Email
          <input type="email" required value={email} onInput={bind(setEmail)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="viewer">Viewer</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <button type="submit" class="btn-primary">
          Add member
        </button>
      </form>
      <FormError error={action.error} />
    </section>
  );
}
