// The account page's two-factor card: on or off, how many recovery codes are left, setting
// it up, turning it off (with the password), and — for owners — requiring it for everyone.
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { TwoFactorEnrol } from '../auth/TwoFactorEnrol.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

export function TwoFactor() {
  const session = useSession();
  const { api } = session;
  const status = useFetch('2fa', () => auth.twoFactor(api));
  const [enrolling, setEnrolling] = useState(false);
  const [password, setPassword] = useState('');
  const action = useAction();
  const isOwner = session.me?.user.role === 'owner';
  const s = status.data;
  return (
    <section class="card" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor sign-in</h2>
      {status.error !== undefined ? (
        <ErrorNote error={status.error} retry={status.reload} />
      ) : !s ? (
        <Loading />
      ) : enrolling ? (
        <TwoFactorEnrol
          start={() => auth.twoFactorSetup(api)}
          confirm={async (code) => (await auth.twoFactorEnable(api, { code })).recoveryCodes}
          doneLabel="Done"
          onDone={() => {
            setEnrolling(false);
            status.reload();
          }}
        />
      ) : s.enabled ? (
        <>
          <p role="status">
            On. {s.recoveryCodesLeft} recovery code{s.recoveryCodesLeft === 1 ? '' : 's'} left.
          </p>
          {s.required ? (
            <p class="note">Owners require two-factor sign-in for everyone.</p>
          ) : (
            <form
              class="form"
              onSubmit={action.submit(async () => {
                await auth.twoFactorDisable(api, { password });
                setPassword('');
                status.reload();
              })}
            >
              <label>
                Password
                <input
                  type="password"
                  autocomplete="current-password"
                  required
                  value={password}
                  onInput={bind(setPassword)}
                />
              </label>
              <button type="submit" class="btn" disabled={action.busy}>
                Turn off
              </button>
            </form>
          )}
        </>
      ) : (
        <>
          <p role="status">Off: your password alone signs in.</p>
          <button type="button" class="btn-primary" onClick={() => setEnrolling(true)}>
            Set up two-factor sign-in
          </button>
        </>
      )}
      {isOwner && s && (
        <label class="check">
          <input
            type="checkbox"
            checked={s.required}
            onChange={(e) =>
              action.run(async () => {
                await auth.requireTwoFactor(api, { required: (e.currentTarget as HTMLInputElement).checked });
                status.reload();
              })
            }
          />
          Require two-factor sign-in for everyone (people without it set it up at their next sign-in)
        </label>
      )}
      <FormError error={action.error} />
    </section>
  );
}
