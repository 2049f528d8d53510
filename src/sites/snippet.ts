// The tag a site owner pastes into their pages, pointing at this server's public URL. One
// definition for the CLI (`serve`'s start lines, `site add`) and the dashboard (which learns
// the public URL from the page: src/web/sites/snippet-text.ts).

export function snippetFor(domain: string, publicUrl: string): string {
  return `<script defer data-domain="${domain}" src="${publicUrl.replace(/\/+$/, '')}/script.js"></script>`;
}

/**
 * The public URL a CLI command on this machine should print, from the same environment
 * `footfall serve` reads (FOOTFALL_PUBLIC_URL, else http://localhost:PORT). A malformed value
 * is left for `serve` to refuse: here it only decorates a hint, and an unrelated bad setting
 * (say, a short admin key) must not stop `site add`.
 */
export function publicUrlFromEnv(env: NodeJS.ProcessEnv): string {
  const configured = env.FOOTFALL_PUBLIC_URL;
  if (configured && /^https?:\/\//i.test(configured)) return configured.replace(/\/+$/, '');
  const port = env.PORT && /^\d{1,5}$/.test(env.PORT) ? env.PORT : '8000';
  return `http://localhost:${port}`;
}
