// Countries coloured by visitors. Colour strength is an SVG presentation attribute
// (fill-opacity), not an inline style, so the strict CSP holds. The numbers come from the
// Locations panel's countries query; the shapes from a static asset.
import { formatExact } from '../format/number.js';
import { ErrorNote } from '../ui/Status.js';
import { useFetch } from '../ui/use-fetch.js';
import type { CountryVisitors } from './countries.js';
import { loadWorld } from './world.js';

export function WorldMap(props: { countries: CountryVisitors[]; onPick: (name: string) => void }) {
  const shapes = useFetch('world', () => loadWorld());
  if (shapes.error !== undefined) return <ErrorNote error={shapes.error} retry={shapes.reload} />;
  if (!shapes.data) return <div class="world-map is-loading" />;
  const byCode = new Map(props.countries.map((c) => [c.code, c]));
  const max = Math.max(1, ...props.countries.map((c) => c.visitors));
  const { width, height, countries } = shapes.data;
  return (
    <svg class="world-map" viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Visitors by country">
      {countries.map((shape) => {
        const c = byCode.get(shape.id);
        const v = c?.visitors ?? 0;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: a mouse shortcut; the countries list below is the keyboard path to the same filter.
          <path
            key={shape.name}
            d={shape.d}
            class={v > 0 ? 'country has-data' : 'country'}
            fill-opacity={v > 0 ? (0.25 + 0.75 * (v / max)).toFixed(2) : undefined}
            onClick={c && v > 0 ? () => props.onPick(c.name) : undefined}
          >
            <title>{`${c?.name ?? shape.name}: ${formatExact(v)} visitors`}</title>
          </path>
        );
      })}
    </svg>
  );
}
