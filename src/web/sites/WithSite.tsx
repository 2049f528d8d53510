// A page about one of the signed-in user's sites: loads their sites and renders the page for
// the one named, or the loading, error or "no such site" state.
import type { JSX } from 'preact';
import { sites } from '../api/account.js';
import type { SiteInfo } from '../api/types.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';

export function WithSite(props: {
  domain: string;
  children: (site: SiteInfo, reload: () => void) => JSX.Element;
}) {
  const { api } = useSession();
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
  return props.children(site, list.reload);
}
