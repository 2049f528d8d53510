// /share/:token — the dashboard, read-only, for anyone with the link. Every call carries
// the token (X-Footfall-Share). /api/share/info names the site; reading the site itself
// (for its time zone) is the first call that needs the link's password, so a 401
// FOOTFALL_ERR_SHARE_PASSWORD there — or from any later call — shows the password form,
// headed by the site's name (info needs no password). Unlocking sets a cookie, and the
// dashboard loads again; a wrong password says so (FOOTFALL_ERR_SHARE_WRONG_PASSWORD).
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { shares, sites } from '../api/account.js';
import { ApiError, createApi } from '../api/http.js';
import { Layout } from '../app/Layout.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';
import { shareSite } from './share-site.js';

export const PASSWORD_CODE = 'FOOTFALL_ERR_SHARE_PASSWORD';

function PasswordForm(props: { site: string | undefined; onUnlock: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <div class="page narrow">
      <h1 dir="auto">{props.site ?? 'Shared dashboard'}</h1>
      <p>This dashboard is protected by a password.</p>
      <form
        class="form"
        onSubmit={action.submit(async () => {
          await props.onUnlock(password);
        })}
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
        <FormError error={action.error} />
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
  // The site's name for the password form: info answers without the password.
  const info = useFetch(`share-info:${props.token}`, async () => shareSite((await shares.info(api)).site));
  const site = useFetch(`share:${props.token}:${unlocks}`, async () => {
    const named = shareSite((await shares.info(api)).site);
    if (!named) throw new Error('This share link names no site.');
    const found = await sites.get(api, named.domain);
    return { domain: named.domain, timezone: found?.timezone ?? named.timezone };
  });
  const needsPassword = locked || (site.error instanceof ApiError && site.error.code === PASSWORD_CODE);
  let body: ComponentChildren;
  if (needsPassword) {
    body = (
      <PasswordForm
        site={info.data?.domain}
        onUnlock={async (password) => {
          await shares.unlock(api, { token: props.token, password });
          setLocked(false);
          setUnlocks((n) => n + 1);
        }}
      />
    );
  } else if (site.error !== undefined) body = <ErrorNote error={site.error} />;
  else if (!site.data) body = <Loading />;
  else body = <Dashboard key={unlocks} api={api} domain={site.data.domain} timezone={site.data.timezone} />;
  return <Layout home={location.pathname}>{body}</Layout>;
}
