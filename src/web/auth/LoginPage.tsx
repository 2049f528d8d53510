// Sign in with email and password, then — when the account has two-factor sign-in, or owners
// require it — the second step on the same page: a code, or setting it up. When Footfall has
// no owner yet, say how to create one.
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { Link } from '../ui/Link.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';
import { CodeInput, TwoFactorEnrol } from './TwoFactorEnrol.js';

type Step = { kind: 'password' } | { kind: 'code' | 'enrol'; pending: string };

export function LoginPage(props: { next: string }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const action = useAction();
  const status = useFetch('setup-status', () => auth.setupStatus(session.api));
  const enter = async () => {
    if (await session.refreshMe()) navigate(props.next, { replace: true });
    else action.setError('Signed in, but the session was not kept: are cookies blocked?');
  };
  if (step.kind === 'enrol') {
    return (
      <div class="page narrow">
        <h1>Set up two-factor sign-in</h1>
        <p class="note">This Footfall requires a second factor for everyone.</p>
        <TwoFactorEnrol
          start={() => auth.loginEnrol(session.api, { pending: step.pending })}
          confirm={async (c) =>
            (await auth.loginEnrolConfirm(session.api, { pending: step.pending, code: c })).recoveryCodes
          }
          doneLabel="Continue"
          onDone={() => action.run(enter)}
        />
        <FormError error={action.error} />
      </div>
    );
  }
  if (step.kind === 'code') {
    return (
      <div class="page narrow">
        <h1>Two-factor sign-in</h1>
        <form
          class="form"
          onSubmit={action.submit(async () => {
            await auth.loginCode(session.api, { pending: step.pending, code: code.trim() });
            await enter();
          })}
        >
          <CodeInput
            value={code}
            onInput={setCode}
            label="Code from your authenticator app, or a recovery code"
          />
          <FormError error={action.error} />
          <button type="submit" class="btn-primary" disabled={action.busy}>
            Sign in
          </button>
        </form>
        <p>
          <button type="button" class="btn" onClick={() => setStep({ kind: 'password' })}>
            Start again
          </button>
        </p>
      </div>
    );
  }
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
          const answer = await auth.login(session.api, { email, password });
          if (answer?.next && answer.pending) {
            setPassword('');
            setStep({ kind: answer.next, pending: answer.pending });
            return;
          }
          await enter();
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
