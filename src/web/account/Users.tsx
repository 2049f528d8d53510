// For owners: the people who may sign in. A member sees only the sites given to them in a
// site's settings (Members), so a person is added here first — invited with a one-time link
// through which they choose their own password (the owner never knows it).
import { useState } from 'preact/hooks';
import { users } from '../api/account.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function Users() {
  const { api, me } = useSession();
  const list = useFetch('users', () => users.list(api));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const [invite, setInvite] = useState<{ email: string; url: string } | undefined>(undefined);
  const action = useAction();
  // Inviting someone again (their link expired, or got lost) makes a new link.
  const invitePerson = async (to: string, as: string) => {
    const res = await users.invite(api, { email: to, role: as });
    const url = typeof res?.invite?.url === 'string' ? res.invite.url : undefined;
    setInvite(url ? { email: to, url } : undefined);
    list.reload();
  };
  return (
    <section class="card" aria-labelledby="users-heading">
      <h2 id="users-heading">People</h2>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <ul class="item-list">
          {list.data.map((u) => (
            <li key={u.id}>
              <span dir="auto">{u.email}</span>
              <span class="muted">
                {u.role}
                {u.invited ? ' · invited' : ''}
              </span>
              {u.invited && (
                <button
                  type="button"
                  class="btn-link"
                  aria-label={`New invitation link for ${u.email}`}
                  onClick={() => action.run(() => invitePerson(u.email, u.role))}
                >
                  New link
                </button>
              )}
              {String(u.id) !== String(me?.user.id) && (
                <ConfirmButton
                  label="Remove"
                  confirm="Remove person"
                  ariaLabel={`Remove ${u.email}`}
                  onConfirm={() => action.run(() => users.remove(api, u.id).then(list.reload))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={action.submit(async () => {
          await invitePerson(email.trim(), role);
          setEmail('');
        })}
      >
        <label>
          Email
          <input type="email" required value={email} onInput={bind(setEmail)} autocomplete="off" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="member">Member (sites given to them)</option>
            <option value="owner">Owner (everything)</option>
          </select>
        </label>
        <button type="submit" class="btn-primary">
          Invite person
        </button>
      </form>
      {invite && (
        <div class="note" role="status">
          <p>
            Send this link to <span dir="auto">{invite.email}</span>: it works once, for 7 days, and lets them
            choose their password.
          </p>
          <code class="secret invite-url">{invite.url}</code>
          <button type="button" class="btn-link" onClick={() => navigator.clipboard?.writeText(invite.url)}>
            Copy link
          </button>
        </div>
      )}
      <FormError error={action.error} />
    </section>
  );
}
