// An invited person chooses their password from the one-time link (/invite?token=…), which
// signs them in (src/auth/invites.ts).
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { FormError, useAction } from '../ui/use-action.js';
import { type NewPassword, NewPasswordFields, PASSWORDS_DIFFER } from './NewPasswordFields.js';

export function InvitePage(props: { token: string }) {
  const session = useSession();
  const [pw, setPw] = useState<NewPassword>({ password: '', repeat: '' });
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
          if (pw.password !== pw.repeat) {
            action.setError(PASSWORDS_DIFFER);
            return;
          }
          const answer = await auth.acceptInvite(session.api, { token: props.token, password: pw.password });
          // Owners require two-factor sign-in: it is set up at sign-in, with the new password.
          if ('next' in (answer ?? {})) {
            navigate('/login', { replace: true });
            return;
          }
          await session.refreshMe();
          navigate('/', { replace: true });
        })}
      >
        <NewPasswordFields value={pw} onChange={setPw} />
        <FormError error={action.error} />
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Set password and sign in
        </button>
      </form>
    </div>
  );
}
