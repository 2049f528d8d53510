// /share/:token — the dashboard, read-only, for anyone with the link. Every call carries
// the token (X-Footfall-Share); a password-protected link first asks for its password.
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { shares } from '../api/account.js';
import { ApiError, createApi, errorText } from '../api/http.js';
import { Layout } from '../app/Layout.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { shareSite } from './share-site.js';

export const PASSWORD_CODE = 'FOOTFALL_ERR_SHARE_PASSWORD';

function PasswordForm(props: { onUnlock: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <div class="page narrow">
      <h1>This dashboard is protected</h1>
      <form
        class="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            await props.onUnlock(password);
          } catch (err) {
            setError(errorText(err));
          }
        }}
      >
        <label>
          Password
          <input
            type="password"
            required
            autocomplete="current-password"
            value={password}
            onInput={bind(setPassword)}
          />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn-primary">
          View dashboard
        </button>
      </form>
    </div>
  );
}

export function ShareView(props: { token: string }) {
  const [locked, setLocked] = useState(false);
  const [unlocks, setUnlocks] = useState(0);
  const api = useMemo(
    () =>
      createApi({
        shareToken: props.token,
        onUnauthorized: (err) => {
          if (err.code === PASSWORD_CODE) setLocked(true);
        },
      }),
    [props.token],
  );
  const info = useFetch(`share:${props.token}:${unlocks}`, () => shares.info(api));
  const needsPassword =
    locked ||
    info.data?.passwordRequired === true ||
    (info.error instanceof ApiError && info.error.code === PASSWORD_CODE);
  let body: ComponentChildren;
  if (needsPassword) {
    body = (
      <PasswordForm
        onUnlock={async (password) => {
          await shares.unlock(api, { token: props.token, password });
          setLocked(false);
          setUnlocks((n) => n + 1);
        }}
      />
    );
  } else if (info.error !== undefined) body = <ErrorNote error={info.error} />;
  else if (!info.data) body = <Loading />;
  else {
    const site = shareSite(info.data.site);
    body = site ? (
      <Dashboard key={unlocks} api={api} domain={site.domain} timezone={site.timezone} />
    ) : (
      <ErrorNote error={new Error('This share link names no site.')} />
    );
  }
  return <Layout home={location.pathname}>{body}</Layout>;
}
