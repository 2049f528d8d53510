// Picks the view for the URL. A share link gets its own API client (the token on every
// call) and no session; everything else needs a signed-in user, and a 401 anywhere sends
// the browser to /login and back afterwards.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { AccountPage } from '../account/AccountPage.js';
import { auth } from '../api/account.js';
import { ApiError, createApi } from '../api/http.js';
import type { Me } from '../api/types.js';
import { ForgotPage } from '../auth/ForgotPage.js';
import { InvitePage } from '../auth/InvitePage.js';
import { LoginPage } from '../auth/LoginPage.js';
import { ResetPage } from '../auth/ResetPage.js';
import { SetupPage } from '../auth/SetupPage.js';
import { SiteSettingsPage } from '../settings/SiteSettingsPage.js';
import { ShareView } from '../share/ShareView.js';
import { SiteDashboardPage } from '../sites/SiteDashboardPage.js';
import { SitesPage } from '../sites/SitesPage.js';
import { type Session, SessionContext } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { Loading } from '../ui/Status.js';
import { Layout } from './Layout.js';
import { navigate, useLocation } from './navigation.js';
import { loginTarget, matchRoute, type Route } from './routes.js';

// Views shown without signing in (a wrong address says so rather than asking for a password).
const PUBLIC_ROUTES = new Set<Route['name']>(['login', 'setup', 'invite', 'forgot', 'reset', 'not_found']);

function SignedIn(props: { route: Route }) {
  const { route } = props;
  switch (route.name) {
    case 'sites':
      return <SitesPage />;
    case 'dashboard':
      return <SiteDashboardPage domain={route.domain} />;
    case 'settings':
      return <SiteSettingsPage domain={route.domain} />;
    case 'account':
      return <AccountPage />;
    default:
      return <NotFound />;
  }
}

/** Also what the server's 404 for an unknown page shows (src/web/routes.ts), signed in or not. */
function NotFound() {
  return (
    <div class="page narrow not-found">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to your sites</Link>
      </p>
    </div>
  );
}

function Main() {
  const loc = useLocation();
  const route = matchRoute(loc.pathname);
  const api = useMemo(
    () =>
      createApi({
        onUnauthorized: () =>
          navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`),
      }),
    [],
  );
  const [me, setMe] = useState<Me | undefined>(undefined);
  const [checked, setChecked] = useState(false);
  const refreshMe = useCallback(async () => {
    try {
      const m = await auth.me(api);
      api.setCsrf(m.csrf);
      setMe(m);
      return m;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      api.setCsrf(undefined);
      setMe(undefined);
      return undefined;
    } finally {
      setChecked(true);
    }
  }, [api]);
  useEffect(() => {
    refreshMe().catch(() => undefined);
  }, [refreshMe]);
  const isPublic = PUBLIC_ROUTES.has(route.name);
  useEffect(() => {
    if (checked && !me && !isPublic) {
      navigate(`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`, { replace: true });
    }
  }, [checked, me, isPublic, loc.pathname, loc.search]);
  const session: Session = { api, me, refreshMe };
  const nav = me && (
    <>
      <Link href="/">Sites</Link>
      <Link href="/account">Account</Link>
    </>
  );
  let body: ComponentChildren;
  if (route.name === 'login') body = <LoginPage next={loginTarget(loc.search)} />;
  else if (route.name === 'not_found') body = <NotFound />;
  else if (route.name === 'setup')
    body = <SetupPage token={new URLSearchParams(loc.search).get('token') ?? ''} />;
  else if (route.name === 'invite')
    body = <InvitePage token={new URLSearchParams(loc.search).get('token') ?? ''} />;
  else if (route.name === 'forgot') body = <ForgotPage />;
  else if (route.name === 'reset')
    body = <ResetPage token={new URLSearchParams(loc.search).get('token') ?? ''} />;
  else if (!checked || !me) body = <Loading />;
  else body = <SignedIn route={route} />;
  return (
    <SessionContext.Provider value={session}>
      <Layout nav={nav}>{body}</Layout>
    </SessionContext.Provider>
  );
}

export function App() {
  const loc = useLocation();
  const route = matchRoute(loc.pathname);
  if (route.name === 'share') return <ShareView token={route.token} />;
  return <Main />;
}
