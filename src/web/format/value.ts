// How a tracked dimension value appears: an empty string is "(none)".

export function displayValue(value: string): string {
  return value === '' ? '(none)' : value;
}
