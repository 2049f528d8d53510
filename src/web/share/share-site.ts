// What GET /api/share/info names as the shared site.

/** `site` is the domain, or an object with it (and maybe the time zone). */
export function shareSite(site: unknown): { domain: string; timezone: string | undefined } | undefined {
  if (typeof site === 'string' && site) return { domain: site, timezone: undefined };
  const s = site as { domain?: unknown; timezone?: unknown } | null | undefined;
  if (s && typeof s.domain === 'string') {
    return { domain: s.domain, timezone: typeof s.timezone === 'string' ? s.timezone : undefined };
  }
  return undefined;
}

/** The server answers a path or a full URL; a path is shown on this origin. */
export function absoluteShareUrl(url: string, origin: string): string {
  return url.startsWith('/') ? origin + url : url;
}
