// How a tracked dimension value appears: an empty string is "(none)"; language tags are
// named in English ("en-US" → "English (United States)"); lower-case device and screen
// classes are capitalised ("laptop" → "Laptop"). Only the text changes: a click still
// filters by the value as stored. "(not set)" and other values the API names pass through.

const languages = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard' });
  } catch {
    return undefined;
  }
})();

function languageName(tag: string): string {
  try {
    const name = languages?.of(tag);
    return name && name !== tag ? name : tag;
  } catch {
    // Not a well-formed tag (a hostile or broken payload): show it as it is.
    return tag;
  }
}

export function displayValue(value: string, dim?: string): string {
  if (value === '') return '(none)';
  if (dim === 'visit:language') return languageName(value);
  if ((dim === 'visit:device' || dim === 'visit:screen') && /^[a-z]/.test(value)) {
    return value[0]!.toUpperCase() + value.slice(1);
  }
  return value;
}
