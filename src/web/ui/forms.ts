// Small helpers for controlled inputs.

/** onInput handler that sets a string state from the input's value. */
export function bind(set: (v: string) => void) {
  return (e: Event) => set((e.currentTarget as HTMLInputElement).value);
}
