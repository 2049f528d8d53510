// Creates the owner account from the one-time setup link (/setup?token=…).
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { FormError, useAction } from '../ui/use-action.js';
import { type NewPassword, NewPasswordFields, PASSWORDS_DIFFER } from './NewPasswordFields.js';

export function SetupPage(props: { token: string }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [pw, setPw] = useState<NewPassword>({ password: '', repeat: '' });
  const action = useAction();
  if (!props.token) {
    return (
      <div class="page narrow">
        <h1>Set up Footfall</h1>
        <p class="note">
          This page needs the setup link printed by <code>footfall serve</code> (it ends in ?token=…).
        </p>
      </div>
    );
  }
  return (
    <div class="page narrow">
      <h1>Set up Footfall</h1>
      <p>Create the owner account.</p>
      <form
        class="form"
        onSubmit={action.submit(async () => {
          if (pw.password !== pw.repeat) {
            action.setError(PASSWORDS_DIFFER);
            return;
          }
          await auth.setup(session.api, { token: props.token, email, password: pw.password });
          // Setup may or may not sign the owner in; either way, go where they can continue.
          if (!(await session.refreshMe())) await auth.login(session.api, { email, password: pw.password });
          await session.refreshMe();
          navigate('/', { replace: true });
        })}
      >
        <label>
          Email
          <input type="email" autocomplete="username" required value={email} onInput={bind(setEmail)} />
        </label>
        <NewPasswordFields value={pw} onChange={setPw} />
        <FormError error={action.error} />
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Create owner
        </button>
      </form>
    </div>
  );
}
