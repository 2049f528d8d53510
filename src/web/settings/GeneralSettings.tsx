// The site's time zone (days and hours on the dashboard are counted in it).
import { useState } from 'preact/hooks';
import { sites } from '../api/account.js';
import { errorText } from '../api/http.js';
import type { SiteInfo } from '../api/types.js';
import { TimeZoneSelect } from '../sites/AddSiteForm.js';
import { useSession } from '../ui/context.js';

export function GeneralSettings(props: { site: SiteInfo; onSaved: () => void }) {
  const { api } = useSession();
  const [timezone, setTimezone] = useState(props.site.timezone);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  return (
    <section class="card" aria-labelledby="general-heading">
      <h2 id="general-heading">Time zone</h2>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await sites.update(api, props.site.domain, { timezone });
            setMessage({ ok: true, text: 'Saved.' });
            props.onSaved();
          } catch (err) {
            setMessage({ ok: false, text: errorText(err) });
          }
        }}
      >
        <label for="site-timezone" class="visually-hidden">
          Time zone
        </label>
        <TimeZoneSelect id="site-timezone" value={timezone} onChange={setTimezone} />
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
