// One site in the list: its name (a link to the dashboard), unique visitors in the last
// 24 hours and an hourly sparkline. Both numbers load on their own.
import { useMemo } from 'preact/hooks';
import { query } from '../api/stats.js';
import type { SiteInfo } from '../api/types.js';
import { sitePath } from '../app/routes.js';
import { Sparkline } from '../chart/Sparkline.js';
import { toSeries } from '../chart/series.js';
import { formatCount, formatExact } from '../format/number.js';
import { useSession } from '../ui/context.js';
import { Link } from '../ui/Link.js';
import { useFetch } from '../ui/use-fetch.js';
import { sparklineRequest, visitors24hRequest } from './requests.js';

export function SiteCard(props: { site: SiteInfo }) {
  const { api } = useSession();
  const domain = props.site.domain;
  const now = useMemo(() => new Date(), []);
  const total = useFetch(`total:${domain}`, (signal) => query(api, visitors24hRequest(domain, now), signal));
  const spark = useFetch(`spark:${domain}`, (signal) => query(api, sparklineRequest(domain, now), signal));
  const visitors = total.data ? (total.data.results[0]?.metrics[0] ?? 0) : undefined;
  return (
    <li class="card site-card" data-site={domain}>
      <Link href={sitePath(domain)} class="site-link">
        <span dir="auto">{domain}</span>
      </Link>
      <div class="site-stats">
        <span class="site-visitors" title={visitors === undefined ? '' : `${formatExact(visitors)} visitors`}>
          {total.error !== undefined ? '—' : visitors === undefined ? '…' : formatCount(visitors)}
          <span class="muted"> visitors in 24 h</span>
        </span>
        {spark.data && (
          <Sparkline values={toSeries(spark.data).current} label={`Visitors per hour on ${domain}`} />
        )}
      </div>
    </li>
  );
}
