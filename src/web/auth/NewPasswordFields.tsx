// A new password typed twice: the setup page and the invitation page ask for it the same way.
import { bind } from '../ui/forms.js';

export interface NewPassword {
  password: string;
  repeat: string;
}

/** The two fields, kept in one value so the caller compares them on submit. */
export function NewPasswordFields(props: { value: NewPassword; onChange: (next: NewPassword) => void }) {
  const { value, onChange } = props;
  return (
    <>
      <label>
        Password
        <input
          type="password"
          autocomplete="new-password"
          required
          minLength={8}
          value={value.password}
          onInput={bind((password) => onChange({ ...value, password }))}
        />
      </label>
      <label>
        Repeat password
        <input
          type="password"
          autocomplete="new-password"
          required
          value={value.repeat}
          onInput={bind((repeat) => onChange({ ...value, repeat }))}
        />
      </label>
    </>
  );
}

export const PASSWORDS_DIFFER = 'The passwords differ.';
