// /sites/:domain/settings: time zone, retention, goals, funnels, email reports, alerts, share links, API keys,
// members, deletion.
import { sitePath } from '../app/routes.js';
import { Installation } from '../sites/Installation.js';
import { WithSite } from '../sites/WithSite.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { Alerts } from './Alerts.js';
import { ApiKeys } from './ApiKeys.js';
import { DeleteSite } from './DeleteSite.js';
import { Funnels } from './Funnels.js';
import { GeneralSettings } from './GeneralSettings.js';
import { Goals } from './Goals.js';
import { Members } from './Members.js';
import { Reports } from './Reports.js';
import { Retention } from './Retention.js';
import { ShareLinks } from './ShareLinks.js';

export function SiteSettingsPage(props: { domain: string }) {
  const { me } = useSession();
  return (
    <WithSite domain={props.domain}>
      {(site, reload) => (
        <div class="page narrow settings">
          <p>
            <Link href={sitePath(site.domain)}>← Back to the dashboard</Link>
          </p>
          <h1>
            Settings for <span dir="auto">{site.domain}</span>
          </h1>
          <GeneralSettings site={site} onSaved={reload} />
          <Retention site={site} onSaved={reload} />
          <Installation domain={site.domain} />
          <Goals domain={site.domain} />
          <Funnels domain={site.domain} />
          <ShareLinks domain={site.domain} />
          <ApiKeys domain={site.domain} />
          <Members domain={site.domain} />
          <Reports domain={site.domain} />
          <Alerts domain={site.domain} />
          {me?.user.role === 'owner' && <DeleteSite domain={site.domain} />}
        </div>
      )}
    </WithSite>
  );
}
