// Sign in with email and password. When Footfall has no owner yet, say how to create one.
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { Link } from '../ui/Link.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function LoginPage(props: { next: string }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const status = useFetch('setup-status', () => auth.setupStatus(session.api));
  return (
    <div class="page narrow">
      <h1>Sign in</h1>
      {status.data?.needsSetup && (
        <p class="note" role="status">
          Footfall has no owner yet. Open the setup link that <code>footfall serve</code> printed when it
          started.
        </p>
      )}
      <form
        class="form"
        onSubmit={action.submit(async () => {
          await auth.login(session.api, { email, password });
          if (await session.refreshMe()) navigate(props.next, { replace: true });
          else action.setError('Signed in, but the session was not kept: are cookies blocked?');
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
        <label>
          Password
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={bind(setPassword)}
          />
        </label>
        <FormError error={action.error} />
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Sign in
        </button>
      </form>
      <p>
        <Link href="/forgot">Forgot your password?</Link>
      </p>
    </div>
  );
}
