// /sites/:domain for a signed-in user: the dashboard, with links back to the list and to
// the site's settings for those who may change them.
import { sites } from '../api/account.js';
import { sitePath } from '../app/routes.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';

export function canManage(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

export function SiteDashboardPage(props: { domain: string }) {
  const { api, me } = useSession();
  const list = useFetch('sites', () => sites.list(api));
  if (list.error !== undefined) return <ErrorNote error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading />;
  const site = list.data.find((s) => s.domain === props.domain);
  if (!site) {
    return (
      <div class="page narrow">
        <h1>No such site</h1>
        <p>
          You have no site called <span dir="auto">{props.domain}</span>. <Link href="/">All sites</Link>
        </p>
      </div>
    );
  }
  return (
    <Dashboard
      api={api}
      domain={site.domain}
      timezone={site.timezone}
      actions={
        <>
          <Link href="/">All sites</Link>
          {canManage(site.role ?? me?.user.role) && (
            <Link href={sitePath(site.domain, '/settings')}>Settings</Link>
          )}
        </>
      }
    />
  );
}
