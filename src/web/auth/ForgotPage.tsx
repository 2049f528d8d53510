// "Forgot password": asks for the email and says the same thing whatever it is (the server
// does too), so this page cannot tell who has an account. Without mail on the server, it says
// so before anyone types.
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { Link } from '../ui/Link.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function ForgotPage() {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const action = useAction();
  const status = useFetch('setup-status', () => auth.setupStatus(session.api));
  if (status.data && !status.data.mail) {
    return (
      <div class="page narrow">
        <h1>Forgot password</h1>
        <p class="note" role="status">
          Mail is not configured on this server, so no reset link can be sent. Ask the operator to set your
          password with <code>footfall user password &lt;email&gt;</code>.
        </p>
      </div>
    );
  }
  return (
    <div class="page narrow">
      <h1>Forgot password</h1>
      {sent ? (
        <p class="note" role="status">
          If {email} has an account, a link to choose a new password is on its way. It works once, for an
          hour.
        </p>
      ) : (
        <form
          class="form"
          onSubmit={action.submit(async () => {
            await auth.forgot(session.api, { email });
            setSent(true);
          })}
        >
          <label>
            Email
            <input
              type="email"
              name="email"
              autocomplete="username"
              required
              value={email}
              onInput={bind(setEmail)}
            />
          </label>
          <FormError error={action.error} />
          <button type="submit" class="btn-primary" disabled={action.busy}>
            Send reset link
          </button>
        </form>
      )}
      <p>
        <Link href="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
