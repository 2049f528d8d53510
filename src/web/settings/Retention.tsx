// How long the site keeps its events (README "Sites"): forever, or N months, after which the
// nightly job deletes them; with the date of the oldest event kept, so the effect is visible.
import { useState } from 'preact/hooks';
import { sites } from '../api/account.js';
import { errorText } from '../api/http.js';
import type { SiteInfo } from '../api/types.js';
import { useSession } from '../ui/context.js';
import { useFetch } from '../ui/use-fetch.js';

export function Retention(props: { site: SiteInfo; onSaved: () => void }) {
  const { api } = useSession();
  const [months, setMonths] = useState(props.site.retentionMonths ? String(props.site.retentionMonths) : '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  // The oldest kept event is only in the one-site answer (the list leaves it out: a query per site).
  const one = useFetch(`site:${props.site.domain}`, () => sites.get(api, props.site.domain));
  const oldest = one.data?.oldestEvent;
  return (
    <section class="card" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Data retention</h2>
      <p class="muted">
        {one.data === undefined ? '' : oldest ? `Oldest event kept: ${oldest}.` : 'No events yet.'} Leave
        empty to keep events forever; events older than the months given are deleted each night.
      </p>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const text = months.trim();
            // Not a number: sent as typed, so the server's message says what is wrong (not NaN → null).
            await sites.update(api, props.site.domain, {
              retentionMonths: text === '' ? null : /^\d+$/.test(text) ? Number(text) : text,
            });
            setMessage({ ok: true, text: 'Saved.' });
            props.onSaved();
          } catch (err) {
            setMessage({ ok: false, text: errorText(err) });
          }
        }}
      >
        <label for="site-retention">Keep events for (months)</label>
        <input
          id="site-retention"
          inputMode="numeric"
          placeholder="forever"
          value={months}
          onInput={(e) => setMonths(e.currentTarget.value)}
        />
        <button type="submit" class="btn-primary">
          Save
        </button>
        {message && (
          <span role="status" class={message.ok ? 'ok' : 'form-error'}>
            {message.text}
          </span>
        )}
      </form>
    </section>
  );
}
