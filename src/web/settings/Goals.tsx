// Goals: what the site counts as a conversion — a page visit (with * wildcards), a custom
// event, or a scroll depth on a page — each optionally requiring property values. The server
// checks everything (a bad pattern or threshold comes back as a message naming the field).
import { useState } from 'preact/hooks';
import { goals } from '../api/account.js';
import type { GoalInfo, NewGoalInput } from '../api/types.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

type Kind = GoalInfo['kind'];

/** What converts a goal, in words. */
export function goalSummary(g: GoalInfo): string {
  const what =
    g.kind === 'event'
      ? `Event ${g.event}`
      : g.kind === 'scroll'
        ? `Scroll ≥ ${g.scroll}% on ${g.page}`
        : `Visit ${g.page}`;
  const props = Object.entries(g.props).map(([k, v]) => `${k} = ${v}`);
  const revenue = g.currency ? `, revenue in ${g.currency}` : '';
  return `${props.length > 0 ? `${what}, with ${props.join(', ')}` : what}${revenue}`;
}

/** "plan=pro, size=xl" → {plan: 'pro', size: 'xl'}; the server checks the count and sizes. */
function parseProps(text: string): Record<string, string> | undefined {
  const pairs = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (pairs.length === 0) return undefined;
  return Object.fromEntries(
    pairs.map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, ''] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    }),
  );
}

export function Goals(props: { domain: string }) {
  const { api } = useSession();
  const list = useFetch(`goals:${props.domain}`, () => goals.list(api, props.domain));
  const [kind, setKind] = useState<Kind>('page');
  const [target, setTarget] = useState('');
  const [scroll, setScroll] = useState('75');
  const [propText, setPropText] = useState('');
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('');
  const action = useAction();
  const submit = action.submit(async () => {
    const body: NewGoalInput = kind === 'event' ? { event: target } : { page: target };
    if (kind === 'scroll') body.scroll = Number(scroll);
    const props_ = parseProps(propText);
    if (props_) body.props = props_;
    if (name.trim() !== '') body.name = name;
    if (kind === 'event' && currency.trim() !== '') body.currency = currency.trim();
    await goals.create(api, props.domain, body);
    setTarget('');
    setPropText('');
    setName('');
    list.reload();
  });
  return (
    <section class="card" aria-labelledby="goals-heading">
      <h2 id="goals-heading">Goals</h2>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">No goals yet.</p>
      ) : (
        <ul class="item-list goal-list">
          {list.data.map((g) => (
            <li key={g.id} data-goal={g.id}>
              <strong dir="auto">{g.name}</strong>
              <span class="muted" dir="auto">
                {goalSummary(g)}
              </span>
              <span class="row-actions">
                <ConfirmButton
                  label="Remove"
                  confirm="Remove goal"
                  onConfirm={() => action.run(() => goals.remove(api, props.domain, g.id).then(list.reload))}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form goal-form" onSubmit={submit}>
        <label>
          Goal type
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as Kind)}>
            <option value="page">Page visit</option>
            <option value="event">Custom event</option>
            <option value="scroll">Scroll depth</option>
          </select>
        </label>
        <label>
          {kind === 'event' ? 'Event name' : 'Page path (* for any characters)'}
          <input
            name="target"
            value={target}
            required
            placeholder={kind === 'event' ? 'Signup' : '/signup*'}
            onInput={bind(setTarget)}
          />
        </label>
        {kind === 'scroll' && (
          <label>
            Scrolled at least (%)
            <input name="scroll" type="number" min="1" max="100" value={scroll} onInput={bind(setScroll)} />
          </label>
        )}
        {kind === 'event' && (
          <label>
            Revenue currency (optional, e.g. EUR)
            <input
              name="currency"
              value={currency}
              maxLength={3}
              placeholder="EUR"
              autoComplete="off"
              onInput={bind(setCurrency)}
            />
          </label>
        )}
        <label>
          Properties (optional, up to 3)
          <input name="props" value={propText} placeholder="plan=pro" onInput={bind(setPropText)} />
        </label>
        <label>
          Display name (optional)
          <input name="name" value={name} onInput={bind(setName)} />
        </label>
        <button type="submit" class="btn-primary" disabled={action.busy}>
          Add goal
        </button>
      </form>
      <FormError error={action.error} />
    </section>
  );
}
