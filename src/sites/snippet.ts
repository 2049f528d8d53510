// The tag a site owner pastes into their pages, for the server, the CLI and start-up lines.
// (The dashboard has its own copy in src/web/sites/snippet-text.ts: it runs in the browser and
// learns the public URL from the page.)

export function snippetFor(domain: string, publicUrl: string): string {
  return `<script defer data-domain="${domain}" src="${publicUrl.replace(/\/+$/, '')}/script.js"></script>`;
}

/**
 * The public URL a CLI command on this machine should print, from the same environment
 * `footfall serve` reads (FOOTFALL_PUBLIC_URL, else http://localhost:PORT). A malformed value
 * is left for `serve` to refuse: here it only decorates a hint.
 */
export function publicUrlFromEnv(env: NodeJS.ProcessEnv): string {
  const configured = env.FOOTFALL_PUBLIC_URL;
  if (configured && /^https?:\/\//i.test(configured)) return configured.replace(/\/+$/, '');
  const port = env.PORT && /^\d{1,5}$/.test(env.PORT) ? env.PORT : '8000';
  return `http://localhost:${port}`;
}
