// The sites this user can see, and a form to add one.
import { sites } from '../api/account.js';
import { useSession } from '../ui/context.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { AddSiteForm } from './AddSiteForm.js';
import { SiteCard } from './SiteCard.js';

export function SitesPage() {
  const { api } = useSession();
  const list = useFetch('sites', () => sites.list(api));
  return (
    <div class="page">
      <h1>Sites</h1>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">No sites yet: add the first one below.</p>
      ) : (
        <ul class="site-list">
          {list.data.map((s) => (
            <SiteCard key={s.domain} site={s} />
          ))}
        </ul>
      )}
      <AddSiteForm onAdded={list.reload} />
    </div>
  );
}
