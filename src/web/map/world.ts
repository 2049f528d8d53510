// The world map's shapes: SVG paths precomputed at build time (scripts/world-map.mjs, from
// world-atlas through d3-geo) into a static JSON asset, fetched once and only when a map is
// shown — the geometry never enters the JavaScript bundle.

export interface CountryShape {
  /** ISO 3166-1 alpha-2 code, as visit:country holds it ("" for shapes without one). */
  id: string;
  name: string;
  d: string;
}

export interface WorldShapes {
  width: number;
  height: number;
  countries: CountryShape[];
}

let loading: Promise<WorldShapes> | undefined;

/** The asset's hashed URL is in the page's <meta name="footfall-map">. */
export function loadWorld(): Promise<WorldShapes> {
  loading ??= (async () => {
    const url = document.querySelector('meta[name="footfall-map"]')?.getAttribute('content');
    if (!url?.startsWith('/')) throw new Error('map asset missing');
    const res = await fetch(url);
    if (!res.ok) throw new Error(`map asset: HTTP ${res.status}`);
    return (await res.json()) as WorldShapes;
  })();
  loading.catch(() => {
    loading = undefined; // let a later render retry
  });
  return loading;
}
