// Countries coloured by visitors. Colour strength is an SVG presentation attribute
// (fill-opacity), not an inline style, so the strict CSP holds.
import { query } from '../api/stats.js';
import { dimensionText } from '../api/types.js';
import { useDash } from '../dashboard/context.js';
import { breakdownRequest } from '../dashboard/requests.js';
import { formatExact } from '../format/number.js';
import { ErrorNote } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import { loadWorld } from './world.js';

export function WorldMap() {
  const dash = useDash();
  const shapes = useFetch('world', () => loadWorld());
  const req = breakdownRequest(dash.scope, 'visit:country', ['visitors'], { limit: 300 });
  const res = useFetch(JSON.stringify(req), (signal) => query(dash.api, req, signal));
  if (shapes.error !== undefined) return <ErrorNote error={shapes.error} retry={shapes.reload} />;
  if (!shapes.data) return <div class="world-map is-loading" />;
  const visitors = new Map<string, number>();
  for (const r of res.data?.results ?? []) visitors.set(dimensionText(r), r.metrics[0] ?? 0);
  const max = Math.max(1, ...visitors.values());
  const { width, height, countries } = shapes.data;
  return (
    <svg class="world-map" viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Visitors by country">
      {countries.map((c) => {
        const v = visitors.get(c.id) ?? 0;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: a mouse shortcut; the countries list below is the keyboard path to the same filter.
          <path
            key={c.id || c.name}
            d={c.d}
            class={v > 0 ? 'country has-data' : 'country'}
            fill-opacity={v > 0 ? (0.25 + 0.75 * (v / max)).toFixed(2) : undefined}
            onClick={v > 0 ? () => dash.addFilter(['is', 'visit:country', [c.id]]) : undefined}
          >
            <title>{`${c.name}: ${formatExact(v)} visitors`}</title>
          </path>
        );
      })}
    </svg>
  );
}
