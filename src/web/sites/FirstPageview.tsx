// "Waiting for the first page view…" until the site has one, checked every 5 seconds.
import { useEffect, useState } from 'preact/hooks';
import { query } from '../api/stats.js';
import { useSession } from '../ui/context.js';
import { useInterval } from '../ui/use-fetch.js';
import { anyPageviewRequest } from './requests.js';

export function FirstPageview(props: { domain: string }) {
  const { api } = useSession();
  const [seen, setSeen] = useState(false);
  const check = () => {
    if (seen) return;
    query(api, anyPageviewRequest(props.domain)).then(
      (res) => {
        if ((res.results[0]?.metrics[0] ?? 0) > 0) setSeen(true);
      },
      () => undefined,
    );
  };
  useEffect(check, [props.domain]);
  useInterval(check, 5000, [props.domain, seen]);
  return (
    <p class={seen ? 'first-pv is-seen' : 'first-pv'} role="status" data-testid="first-pageview">
      <span class="pulse" aria-hidden="true" />
      {seen ? 'Page views are arriving.' : 'Waiting for the first page view…'}
    </p>
  );
}
