// Traffic alerts of this site (README "Traffic alerts and webhooks"): the spike and drop
// thresholds, who is mailed, the webhook with its format and signing secret, and how the last
// delivery went. Numbers that are not whole are sent as typed, so the server's message says why.
import { useEffect, useState } from 'preact/hooks';
import { alerts } from '../api/account.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

const asThreshold = (text: string): unknown => {
  const t = text.trim();
  return t === '' ? null : /^\d+$/.test(t) ? Number(t) : t;
};

export function Alerts(props: { domain: string }) {
  const { api } = useSession();
  const current = useFetch(`alerts:${props.domain}`, () => alerts.get(api, props.domain));
  const [spike, setSpike] = useState('');
  const [drop, setDrop] = useState('');
  const [emails, setEmails] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const [format, setFormat] = useState('json');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const a = current.data?.alerts;
  useEffect(() => {
    if (!a) return;
    setSpike(a.spike === null ? '' : String(a.spike));
    setDrop(a.drop === null ? '' : String(a.drop));
    setEmails(a.emails.join(', '));
    setWebhookUrl(a.webhookUrl ?? '');
    setFormat(a.webhookFormat);
  }, [a]);
  return (
    <section class="card" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Traffic alerts</h2>
      {current.error !== undefined ? (
        <ErrorNote error={current.error} retry={current.reload} />
      ) : !current.data ? (
        <Loading />
      ) : (
        <form
          class="inline-form"
          onSubmit={action.submit(async () => {
            setSaved(false);
            await alerts.save(api, props.domain, {
              spike: asThreshold(spike),
              drop: asThreshold(drop),
              emails: emails
                .split(',')
                .map((e) => e.trim())
                .filter((e) => e !== ''),
              webhookUrl: webhookUrl.trim() === '' ? null : webhookUrl.trim(),
              webhookFormat: format,
            });
            setSaved(true);
            current.reload();
          })}
        >
          {!current.data.mailConfigured && (
            <p class="muted">Mail is not configured on this server: alerts go to the webhook only.</p>
          )}
          <label>
            Spike: visitors in the last 5 minutes reach
            <input inputMode="numeric" placeholder="off" value={spike} onInput={bind(setSpike)} />
          </label>
          <label>
            Drop: visitors in the last 12 hours fall below
            <input inputMode="numeric" placeholder="off" value={drop} onInput={bind(setDrop)} />
          </label>
          <label>
            Mail to (comma-separated)
            <input type="text" value={emails} onInput={bind(setEmails)} />
          </label>
          <label>
            Webhook URL
            <input
              type="url"
              placeholder="https://hooks.slack.com/…"
              value={webhookUrl}
              onInput={bind(setWebhookUrl)}
            />
          </label>
          <label>
            Webhook format
            <select value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value)}>
              <option value="json">JSON (signed)</option>
              <option value="slack">Slack</option>
              <option value="discord">Discord</option>
            </select>
          </label>
          {a?.webhookSecret && (
            <p class="muted">
              Signing secret (X-Footfall-Signature): <code>{a.webhookSecret}</code>
            </p>
          )}
          {a?.lastDelivery && <p class="muted">Last delivery: {a.lastDelivery}</p>}
          <button type="submit" class="btn-primary">
            Save alerts
          </button>
          {saved && (
            <span role="status" class="ok">
              Saved.
            </span>
          )}
        </form>
      )}
      <FormError error={action.error} />
    </section>
  );
}
