// Change the password (the current one is asked for again).
import { useState } from 'preact/hooks';
import { auth } from '../api/account.js';
import { errorText } from '../api/http.js';
import { useSession } from '../ui/context.js';
import { bind } from '../ui/forms.js';

/** `onChanged`: the server signed out every other session. */
export function PasswordForm(props: { onChanged: () => void }) {
  const { api } = useSession();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form
        class="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (password !== repeat) {
            setMessage({ ok: false, text: 'The new passwords differ.' });
            return;
          }
          try {
            await auth.changePassword(api, { current, password });
            setCurrent('');
            setPassword('');
            setRepeat('');
            setMessage({ ok: true, text: 'Password changed. Other sessions were signed out.' });
            props.onChanged();
          } catch (err) {
            setMessage({ ok: false, text: errorText(err) });
          }
        }}
      >
        <label>
          Current password
          <input
            type="password"
            autocomplete="current-password"
            required
            value={current}
            onInput={bind(setCurrent)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            autocomplete="new-password"
            required
            minLength={8}
            value={password}
            onInput={bind(setPassword)}
          />
        </label>
        <label>
          Repeat new password
          <input
            type="password"
            autocomplete="new-password"
            required
            value={repeat}
            onInput={bind(setRepeat)}
          />
        </label>
        {message && (
          <p role="status" class={message.ok ? 'ok' : 'form-error'}>
            {message.text}
          </p>
        )}
        <button type="submit" class="btn-primary">
          Change password
        </button>
      </form>
    </section>
  );
}
