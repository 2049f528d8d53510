// /sites/:domain for a signed-in user: the dashboard, with links back to the list and to
// the site's settings for those who may change them.
import { sitePath } from '../app/routes.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { InstallIfEmpty } from './Installation.js';
import { WithSite } from './WithSite.js';

export function canManage(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

export function SiteDashboardPage(props: { domain: string }) {
  const { api, me } = useSession();
  return (
    <WithSite domain={props.domain}>
      {(site) => (
        <>
          {canManage(site.role ?? me?.user.role) && <InstallIfEmpty domain={site.domain} />}
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
        </>
      )}
    </WithSite>
  );
}
