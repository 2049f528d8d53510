// The dashboard's world map, computed at build time: Natural Earth's 1:110m countries
// (world-atlas) projected by d3-geo into SVG path strings, keyed by the ISO 3166-1 alpha-2
// codes that visit:country holds. The browser only fetches the JSON and draws paths; the
// geometry and the projection code stay out of the JavaScript bundle.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { iso31661 } from 'iso-3166';
import { feature } from 'topojson-client';

// Shapes without an ISO numeric id in Natural Earth, coloured as the geolocation database
// reports their visitors (DB-IP uses XK for Kosovo).
const NO_ID = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

export function worldShapes(width = 960) {
  const require = createRequire(import.meta.url);
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
  // Antarctica takes a fifth of the height and has no visitors.
  const features = feature(topo, topo.objects.countries).features.filter(
    (f) => f.properties.name !== 'Antarctica',
  );
  const collection = { type: 'FeatureCollection', features };
  const projection = geoNaturalEarth1().fitWidth(width, collection);
  const path = geoPath(projection).digits(1);
  const height = Math.ceil(path.bounds(collection)[1][1]);
  const alpha2 = new Map(iso31661.map((c) => [c.numeric, c.alpha2]));
  const countries = features
    .map((f) => ({
      id: alpha2.get(f.id) ?? NO_ID[f.properties.name] ?? '',
      name: f.properties.name,
      d: path(f),
    }))
    .filter((c) => c.d);
  return { width, height, countries };
}
