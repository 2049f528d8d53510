// Tracked URLs are hostile: one becomes a link only when it parses as an absolute http(s)
// URL. `javascript:`, `data:`, relative and unparsable strings stay plain text.

export function safeHttpUrl(raw: string | null | undefined, base?: string): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href;
}
