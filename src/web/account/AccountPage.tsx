// /account: who is signed in, password, sessions, sign out.
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { PasswordForm } from './PasswordForm.js';
import { Sessions } from './Sessions.js';

export function AccountPage() {
  const session = useSession();
  return (
    <div class="page narrow">
      <h1>Account</h1>
      <p>
        Signed in as <strong dir="auto">{session.me?.user.email}</strong>
      </p>
      <PasswordForm />
      <Sessions />
      <p>
        <button
          type="button"
          class="btn"
          onClick={async () => {
            await auth.logout(session.api).catch(() => undefined);
            await session.refreshMe().catch(() => undefined);
            navigate('/login', { replace: true });
          }}
        >
          Sign out
        </button>
      </p>
    </div>
  );
}
