// An invited person chooses their password from the one-time link (/invite?token=…), which
// signs them in (src/auth/invites.ts).
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { FormError, useAction } from '../ui/use-action.js';

export function InvitePage(props: { token: string }) {
  const session = useSession();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const action = useAction();
  if (!props.token) {
    return (
      <div class="page narrow">
        <h1>Join Footfall</h1>
        <p class="note">This page needs the invitation link you were sent (it ends in ?token=…).</p>
      </div>
    );
  }
  return (
    <div class="page narrow">
      <h1>Join Footfall</h1>
      <p>Choose your password. The link works once.</p>
      <form
        class="form"
        onSubmit={action.submit(async () => {
          if (password !== repeat) {
            action.setError('The passwords differ.');
            return;
          }
          await auth.acceptInvite(session.api, { token: props.token, password });
          await session.refreshMe();
          navigate('/', { replace: true });
        })}
      >
        <label>
          Password
          <input
            type="password"
            autocomplete="new-password"
            required
            minLength={8}
            value={password}
            onInput={bind(setPassword)}
          />
        </label>
        <label>
          Repeat password
          <input
            type="password"
            autocomplete="new-password"
            required
            value={repeat}
            onInput={bind(setRepeat)}
          />
        </label>
        <FormError error={action.error} />
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Set password and sign in
        </button>
      </form>
    </div>
  );
}
