// Deleting a site deletes its events: the user types the domain to confirm.
import { useState } from 'preact/hooks';
import { sites } from '../api/account.js';
import { navigate } from '../app/navigation.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';
import { FormError, useAction } from '../ui/use-action.js';

export function DeleteSite(props: { domain: string }) {
  const { api } = useSession();
  const [typed, setTyped] = useState('');
  const action = useAction();
  return (
    <section class="card danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete this site</h2>
      <p>This deletes the site and every event recorded for it. It cannot be undone.</p>
      <form
        class="inline-form"
        onSubmit={action.submit(async () => {
          if (typed !== props.domain) return;
          await sites.remove(api, props.domain);
          navigate('/', { replace: true });
        })}
      >
        <label>
          {/* One span, one grid row: loose words and <strong> would each take a row of the label's grid. */}
          <span>
            Type <strong dir="auto">{props.domain}</strong> to confirm
          </span>
          <input value={typed} onInput={bind(setTyped)} autocomplete="off" autocapitalize="off" />
        </label>
        <button type="submit" class="btn-danger" disabled={typed !== props.domain}>
          Delete site
        </button>
      </form>
      <FormError error={action.error} />
    </section>
  );
}
