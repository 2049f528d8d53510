// The tag a site owner pastes, pointing at this server's public URL.

/** The server's public URL (from the page's meta tag, set by the server), else this origin. */
export function publicOrigin(): string {
  const meta = document.querySelector('meta[name="footfall-public-url"]')?.getAttribute('content');
  return meta && /^https?:\/\//.test(meta) ? meta.replace(/\/+$/, '') : location.origin;
}

export { snippetFor } from '../../sites/snippet.js';
