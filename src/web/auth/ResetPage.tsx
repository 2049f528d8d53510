// Choose a new password from the mailed link (/reset?token=…). It signs out every session and
// does not sign in: the next sign-in asks for the second factor, when there is one.
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { FormError, useAction } from '../ui/use-action.js';
import { type NewPassword, NewPasswordFields, PASSWORDS_DIFFER } from './NewPasswordFields.js';

export function ResetPage(props: { token: string }) {
  const session = useSession();
  const [pw, setPw] = useState<NewPassword>({ password: '', repeat: '' });
  const [done, setDone] = useState(false);
  const action = useAction();
  if (!props.token) {
    return (
      <div class="page narrow">
        <h1>Choose a new password</h1>
        <p class="note">
          This page needs the link from the reset mail (it ends in ?token=…).{' '}
          <Link href="/forgot">Ask for one</Link>
        </p>
      </div>
    );
  }
  if (done) {
    return (
      <div class="page narrow">
        <h1>Password changed</h1>
        <p role="status">Every session was signed out.</p>
        <p>
          <Link href="/login">Sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div class="page narrow">
      <h1>Choose a new password</h1>
      <form
        class="form"
        onSubmit={action.submit(async () => {
          if (pw.password !== pw.repeat) {
            action.setError(PASSWORDS_DIFFER);
            return;
          }
          await auth.resetPassword(session.api, { token: props.token, password: pw.password });
          setDone(true);
        })}
      >
        <NewPasswordFields value={pw} onChange={setPw} />
        <FormError error={action.error} />
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Set new password
        </button>
      </form>
    </div>
  );
}
