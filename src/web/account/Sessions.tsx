// Where this account is signed in; any other session can be signed out from here.
import { auth } from '../api/account.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { formatWhen } from '../ui/dates.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function Sessions() {
  const { api } = useSession();
  const list = useFetch('sessions', () => auth.sessions(api));
  const action = useAction();
  return (
    <section class="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <ul class="item-list">
          {list.data.map((s) => (
            <li key={s.id}>
              <span>
                Signed in {formatWhen(s.createdAt)} · last seen {formatWhen(s.lastSeenAt)}
              </span>
              {s.current ? (
                <span class="badge">this browser</span>
              ) : (
                <ConfirmButton
                  label="End session"
                  confirm="End it"
                  onConfirm={() => action.run(() => auth.revokeSession(api, s.id).then(list.reload))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError error={action.error} />
    </section>
  );
}
