// Add a site: its domain and time zone. Afterwards: the snippet to paste and a check that
// turns green when the first page view arrives.
import { useState } from 'preact/hooks';
import { sites } from '../api/account.js';
import { sitePath } from '../app/routes.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { Link } from '../ui/Link.js';
import { FormError, useAction } from '../ui/use-action.js';
import { FirstPageview } from './FirstPageview.js';
import { browserTimeZone, timeZones } from './requests.js';
import { Snippet } from './Snippet.js';

export function TimeZoneSelect(props: { value: string; onChange: (tz: string) => void; id?: string }) {
  const zones = timeZones();
  const list = zones.includes(props.value) ? zones : [props.value, ...zones];
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      {list.map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </select>
  );
}

function savedDomain(res: unknown): string | undefined {
  const r = res as { domain?: unknown; site?: { domain?: unknown } } | undefined;
  const d = r?.site?.domain ?? r?.domain;
  return typeof d === 'string' ? d : undefined;
}

export function AddSiteForm(props: { onAdded: () => void }) {
  const { api } = useSession();
  const [domain, setDomain] = useState('');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [added, setAdded] = useState<string | undefined>(undefined);
  const action = useAction();
  if (added) {
    return (
      <section class="card add-site" aria-labelledby="added-heading">
        <h2 id="added-heading">
          Added <span dir="auto">{added}</span>
        </h2>
        <p>Paste this into the &lt;head&gt; of every page of the site:</p>
        <Snippet domain={added} />
        <FirstPageview domain={added} />
        <p class="row-actions">
          <Link href={sitePath(added)}>Open the dashboard</Link>
          <button type="button" class="btn-link" onClick={() => setAdded(undefined)}>
            Add another site
          </button>
        </p>
      </section>
    );
  }
  return (
    <section class="card add-site" aria-labelledby="add-heading">
      <h2 id="add-heading">Add a site</h2>
      <form
        class="form"
        onSubmit={action.submit(async () => {
          const d = domain.trim().toLowerCase();
          const res = await sites.add(api, { domain: d, timezone });
          // The server normalises the domain (e.g. drops "www."); show what it stored.
          setAdded(savedDomain(res) ?? d);
          setDomain('');
          props.onAdded();
        })}
      >
        <label>
          Domain
          <input
            required
            placeholder="example.com"
            value={domain}
            onInput={bind(setDomain)}
            autocapitalize="off"
          />
        </label>
        <div class="field">
          <label for="new-site-timezone">Time zone</label>
          <TimeZoneSelect id="new-site-timezone" value={timezone} onChange={setTimezone} />
        </div>
        <FormError error={action.error} />
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Add site
        </button>
      </form>
    </section>
  );
}
