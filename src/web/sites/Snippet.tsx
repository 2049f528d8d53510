// The tag to paste into a site's pages, shown as text (the domain is the user's own input,
// but it is still never parsed as HTML), with a copy button.
import { useState } from 'preact/hooks';
import { publicOrigin, snippetFor } from './snippet-text.js';

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
