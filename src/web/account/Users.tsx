// For owners: the people who may sign in. A member sees only the sites given to them in a
// site's settings (Members), so a person is added here first.
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
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('member');
  const action = useAction();
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
              <span class="muted">{u.role}</span>
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
          await users.add(api, { email: email.trim(), password, role });
          setEmail('');
          setPassword('');
          list.reload();
        })}
      >
        <label>
          Email
          <input type="email" required value={email} onInput={bind(setEmail)} autocomplete="off" />
        </label>
        <label>
          Password
          <input
            type="password"
            required
            minLength={8}
            value={password}
            onInput={bind(setPassword)}
            autocomplete="new-password"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option value="member">Member (sites given to them)</option>
            <option value="owner">Owner (everything)</option>
          </select>
        </label>
        <button type="submit" class="btn-primary">
          Add person
        </button>
      </form>
      <FormError error={action.error} />
    </section>
  );
}
