// Email reports of this site (README "Email reports"): who gets the weekly and monthly report,
// and "Send now" to see one at once. Without mail settings on the server, says so.
import { useState } from 'preact/hooks';
import { reports } from '../api/account.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

const PERIOD_TEXT = { week: 'Weekly (Monday 09:00)', month: 'Monthly (the 1st, 09:00)' } as const;

export function Reports(props: { domain: string }) {
  const { api } = useSession();
  const list = useFetch(`reports:${props.domain}`, () => reports.list(api, props.domain));
  const [email, setEmail] = useState('');
  const [period, setPeriod] = useState('week');
  const [sent, setSent] = useState<string | undefined>(undefined);
  const action = useAction();
  return (
    <section class="card" aria-labelledby="reports-heading">
      <h2 id="reports-heading">Email reports</h2>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <>
          {!list.data.mail && (
            <p class="form-error">
              Mail is not configured on this server: the operator sets --smtp-url and --mail-from.
            </p>
          )}
          {list.data.subscriptions.length === 0 ? (
            <p class="empty">Nobody gets reports yet.</p>
          ) : (
            <ul class="item-list">
              {list.data.subscriptions.map((s) => (
                <li key={String(s.id)}>
                  <span dir="auto">{s.email}</span>
                  <span class="muted">{PERIOD_TEXT[s.period]}</span>
                  <ConfirmButton
                    label="Remove"
                    confirm="Stop reports"
                    ariaLabel={`Stop reports to ${s.email}`}
                    onConfirm={() =>
                      action.run(() => reports.remove(api, props.domain, s.id).then(list.reload))
                    }
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <form
        class="inline-form"
        onSubmit={action.submit(async () => {
          await reports.add(api, props.domain, { email: email.trim(), period });
          setEmail('');
          list.reload();
        })}
      >
        <label>
          Email
          <input type="email" required value={email} onInput={bind(setEmail)} />
        </label>
        <label>
          Report
          <select value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value)}>
            <option value="week">Weekly</option>
            <option value="month">Monthly</option>
          </select>
        </label>
        <button type="submit" class="btn-primary">
          Subscribe
        </button>
        <button
          type="button"
          onClick={() =>
            action.run(async () => {
              const answer = await reports.sendNow(api, props.domain, { period });
              setSent(`Sent to ${answer.sent}.`);
            })
          }
        >
          Send now
        </button>
        {sent && (
          <span role="status" class="ok">
            {sent}
          </span>
        )}
      </form>
      <FormError error={action.error} />
    </section>
  );
}
