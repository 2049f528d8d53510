// The tag a site owner pastes into their pages, pointing at this server's public URL. One
// definition for the CLI (`serve`'s start lines, `site add`) and the dashboard.
export function snippetFor(domain: string, origin: string): string {
  return `<script defer data-domain="${domain}" src="${origin}/script.js"></script>`;
}
