// The snippet and the installation check, where a site owner looks for them after adding a
// site: its settings, and its dashboard until the first page view arrives. The check is the
// add-site form's own (FirstPageview: the first event in the store), not a fetch of the
// site's home page from the server.
import { query } from '../api/stats.js';
import { useSession } from '../ui/context.js';
import { useFetch } from '../ui/use-fetch.js';
import { FirstPageview } from './FirstPageview.js';
import { anyPageviewRequest } from './requests.js';
import { Snippet } from './Snippet.js';

export function Installation(props: { domain: string; heading?: string }) {
  return (
    <section class="card installation" aria-labelledby="install-heading">
      <h2 id="install-heading">{props.heading ?? 'Installation'}</h2>
      <p>Paste this into the &lt;head&gt; of every page of the site:</p>
      <Snippet domain={props.domain} />
      <FirstPageview domain={props.domain} />
    </section>
  );
}

/** Above an empty dashboard: how to start, until the site has ever had a page view. */
export function InstallIfEmpty(props: { domain: string }) {
  const { api } = useSession();
  const req = anyPageviewRequest(props.domain);
  const res = useFetch(JSON.stringify(req), (signal) => query(api, req, signal));
  if (!res.data || (res.data.results[0]?.metrics[0] ?? 0) > 0) return null;
  return <Installation domain={props.domain} heading="No page views yet: install the script" />;
}
