// The tag to paste into a site's pages, shown as text (the domain is the user's own input,
// but it is still never parsed as HTML), with a copy button.
import { useState } from 'preact/hooks';

/** The server's public URL (from the page's meta tag, set by the server), else this origin. */
export function publicOrigin(): string {
  const meta = document.querySelector('meta[name="footfall-public-url"]')?.getAttribute('content');
  return meta && /^https?:\/\//.test(meta) ? meta.replace(/\/+$/, '') : location.origin;
}

export function snippetFor(domain: string, origin: string): string {
  return `<script defer data-domain="${domain}" src="${origin}/script.js"></script>`;
}

export function Snippet(props: { domain: string }) {
  const text = snippetFor(props.domain, publicOrigin());
  const [copied, setCopied] = useState(false);
  return (
    <div class="snippet">
      <pre>
        <code>{text}</code>
      </pre>
      <button
        type="button"
        class="btn"
        onClick={() =>
          navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
