// /sites/:domain/settings: time zone, share links, API keys, members, deletion.
import { sites } from '../api/account.js';
import { sitePath } from '../app/routes.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { ApiKeys } from './ApiKeys.js';
import { DeleteSite } from './DeleteSite.js';
import { GeneralSettings } from './GeneralSettings.js';
import { Members } from './Members.js';
import { ShareLinks } from './ShareLinks.js';

export function SiteSettingsPage(props: { domain: string }) {
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
          <Link href="/">All sites</Link>
        </p>
      </div>
    );
  }
  return (
    <div class="page narrow settings">
      <p>
        <Link href={sitePath(site.domain)}>← Back to the dashboard</Link>
      </p>
      <h1>
        Settings for <span dir="auto">{site.domain}</span>
      </h1>
      <GeneralSettings site={site} onSaved={list.reload} />
      <ShareLinks domain={site.domain} />
      <ApiKeys domain={site.domain} />
      <Members domain={site.domain} />
      {me?.user.role === 'owner' && <DeleteSite domain={site.domain} />}
    </div>
  );
}
