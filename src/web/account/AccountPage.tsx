// /account: who is signed in, password, sessions, sign out.
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { PasswordForm } from './PasswordForm.js';
import { Sessions } from './Sessions.js';
import { TwoFactor } from './TwoFactor.js';
import { Users } from './Users.js';

export function AccountPage() {
  const session = useSession();
  const [changes, setChanges] = useState(0);
  return (
    <div class="page narrow">
      <h1>Account</h1>
      <p>
        Signed in as <strong dir="auto">{session.me?.user.email}</strong>
      </p>
      <PasswordForm onChanged={() => setChanges((n) => n + 1)} />
      <TwoFactor />
      <Sessions key={changes} />
      {session.me?.user.role === 'owner' && <Users />}
      <p>
        <button
          type="button"
          class="btn"
          onClick={async () => {
            await auth.logout(session.api).catch(() => undefined);
            // Leave first: a signed-out /account would send the browser to /login?next=/account.
            navigate('/login', { replace: true });
            await session.refreshMe().catch(() => undefined);
          }}
        >
          Sign out
        </button>
      </p>
    </div>
  );
}
