// Funnels: 2 to 8 of the site's goals in order, saved by name. The server checks everything
// (a goal twice, a name taken come back as a message naming the field).
import { useState } from 'preact/hooks';
import { funnels, goals } from '../api/account.js';
import type { FunnelType } from '../api/types.js';
import { ConfirmButton } from '../ui/Confirmable.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { FormError, useAction } from '../ui/use-action.js';
import { useFetch } from '../ui/use-fetch.js';

const MAX_STEPS = 8;
const TYPES: { value: FunnelType; label: string }[] = [
  { value: 'sequential', label: 'Sequential (other events may come between)' },
  { value: 'strict', label: 'Strict (nothing else between steps)' },
  { value: 'flexible', label: 'Flexible (only the first and last in order)' },
];

export function Funnels(props: { domain: string }) {
  const { api } = useSession();
  const list = useFetch(`funnels:${props.domain}`, () => funnels.list(api, props.domain));
  const goalList = useFetch(`goals:${props.domain}`, () => goals.list(api, props.domain));
  const [name, setName] = useState('');
  const [type, setType] = useState<FunnelType>('sequential');
  const [steps, setSteps] = useState<string[]>(['', '']);
  const action = useAction();
  const submit = action.submit(async () => {
    await funnels.create(api, props.domain, { name, type, steps: steps.map(Number) });
    setName('');
    setSteps(['', '']);
    list.reload();
  });
  const available = goalList.data ?? [];
  return (
    <section class="card" aria-labelledby="funnels-heading">
      <h2 id="funnels-heading">Funnels</h2>
      {list.error !== undefined ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty">No funnels yet.</p>
      ) : (
        <ul class="item-list funnel-list">
          {list.data.map((f) => (
            <li key={f.id} data-funnel={f.id}>
              <strong dir="auto">{f.name}</strong>
              <span class="muted" dir="auto">
                {f.type}: {f.steps.map((s) => s.name).join(' → ')}
              </span>
              <span class="row-actions">
                <ConfirmButton
                  label="Remove"
                  confirm="Remove funnel"
                  onConfirm={() =>
                    action.run(() => funnels.remove(api, props.domain, f.id).then(list.reload))
                  }
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      {available.length < 2 ? (
        <p class="muted">A funnel needs at least two goals: add them above.</p>
      ) : (
        <form class="inline-form funnel-form" onSubmit={submit}>
          <label>
            Funnel name
            <input name="funnel-name" value={name} required onInput={bind(setName)} />
          </label>
          <label>
            Type
            <select
              value={type}
              onChange={(e) => setType((e.target as HTMLSelectElement).value as FunnelType)}
            >
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          {steps.map((value, i) => (
            <label key={`step-${i + 1}`}>
              Step {i + 1}
              <select
                name={`step-${i + 1}`}
                value={value}
                required
                onChange={(e) =>
                  setSteps(steps.map((s, j) => (j === i ? (e.target as HTMLSelectElement).value : s)))
                }
              >
                <option value="">Choose a goal</option>
                {available.map((g) => (
                  <option key={g.id} value={String(g.id)}>
                    {g.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
          {steps.length < MAX_STEPS && (
            <button type="button" class="btn" onClick={() => setSteps([...steps, ''])}>
              Add a step
            </button>
          )}
          <button type="submit" class="btn-primary" disabled={action.busy}>
            Add funnel
          </button>
        </form>
      )}
      <FormError error={action.error} />
    </section>
  );
}
