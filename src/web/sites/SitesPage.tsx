// The sites this user can see, and a form to add one.
import { sites } from '../api/account.js';
import { useSession } from '../ui/context.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { AddSiteForm } from './AddSiteForm.js';
import { SiteCard } from './SiteCard.js';

export function SitesPage() {
  const { api, me } = useSession();
  const list = useFetch('sites', () => sites.list(api));
  return (
    <div class="page">
      <h1>Sites</h1>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">No sites yet.</p>
      ) : (
        <ul class="site-list">
          {list.data.map((s) => (
            <SiteCard key={s.domain} site={s} />
          ))}
        </ul>
      )}
      {/* Only owners add sites (a member is given sites by an owner or admin). */}
      {me?.user.role === 'owner' && <AddSiteForm onAdded={list.reload} />}
    </div>
  );
}
