// Setting up two-factor sign-in, the same way from the account page and from a sign-in that
// owners require it for: the QR code (an SVG the server rendered, shown as an image, so none
// of it runs), the secret for typing by hand, a code to prove the app has it, then the
// recovery codes — shown here once and never again.
import { useEffect, useState } from 'preact/hooks';
import type { Enrolment } from '../api/account.js';
import { errorText } from '../api/http.js';
import { bind } from '../ui/forms.js';
import { FormError, useAction } from '../ui/use-action.js';

export function CodeInput(props: { value: string; onInput: (v: string) => void; label?: string }) {
  return (
    <label>
      {props.label ?? 'Code from your authenticator app'}
      <input
        name="code"
        autocomplete="one-time-code"
        required
        maxLength={40}
        value={props.value}
        onInput={bind(props.onInput)}
      />
    </label>
  );
}

export function RecoveryCodes(props: { codes: string[]; onDone: () => void; doneLabel: string }) {
  return (
    <div class="recovery-codes">
      <p role="status">
        Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs in once without your
        phone, and they are not shown again.
      </p>
      <ul aria-label="Recovery codes">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <button type="button" class="btn-primary" onClick={props.onDone}>
        {props.doneLabel}
      </button>
    </div>
  );
}

export function TwoFactorEnrol(props: {
  start: () => Promise<Enrolment>;
  confirm: (code: string) => Promise<string[]>;
  onDone: () => void;
  doneLabel: string;
}) {
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>(undefined);
  const [startError, setStartError] = useState<string | undefined>(undefined);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | undefined>(undefined);
  const action = useAction();
  // Once per mount: each start makes a new secret, and the last one shown is the one to confirm.
  useEffect(() => {
    props.start().then(setEnrolment, (err: unknown) => setStartError(errorText(err)));
  }, []);
  if (codes) return <RecoveryCodes codes={codes} onDone={props.onDone} doneLabel={props.doneLabel} />;
  if (startError) return <p class="form-error">{startError}</p>;
  if (!enrolment) return <p role="status">Preparing…</p>;
  return (
    <form
      class="form"
      onSubmit={action.submit(async () => {
        setCodes(await props.confirm(code.trim()));
      })}
    >
      <p>Scan this with an authenticator app (or type the key), then enter the code it shows.</p>
      <img
        class="qr"
        width={200}
        height={200}
        alt="QR code for your authenticator app"
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
      />
      <p>
        Key: <code data-testid="totp-secret">{enrolment.secret}</code>
      </p>
      <CodeInput value={code} onInput={setCode} />
      <FormError error={action.error} />
      <button type="submit" class="btn-primary" disabled={action.busy}>
        Turn on
      </button>
    </form>
  );
}
