// A revenue amount and its currency, as an event carries them (issue 15). Amounts are kept as
// exact decimals with three places — the stores' DECIMAL(18,3), Plausible's Decimal64(3) — as
// text ("29.990"), never as a float: sums of many prices must come out to the cent.
//
// Currencies are ISO 4217 codes as Node's ICU knows them (`Intl.supportedValuesOf('currency')`:
// 162 current codes in Node 20, EUR, USD, the 2024 ZWG and SLE included; test codes like XXX
// not). Checking against the runtime's list keeps us from maintaining a copy.

export interface Money {
  /** Exact decimal text with three places ("-12.500"). */
  amount: string;
  /** ISO 4217, upper case. */
  currency: string;
}

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/** A currency as given (any case) → its ISO 4217 code, or undefined when it is none. */
export function currencyCode(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value)) return undefined;
  const code = value.toUpperCase();
  return isCurrency(code) ? code : undefined;
}

/** The largest magnitude DECIMAL(18,3) holds, in thousandths. */
const MAX_THOUSANDTHS = 10n ** 18n - 1n;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?$|^([+-]?)\.(\d+)$/;

/**
 * A number or numeric text (as Plausible accepts: `29.99`, `"29.99"`, `"-5"`) → exact decimal
 * text with three places, rounded half away from zero past the third (as DuckDB casts do);
 * undefined when it is not a finite number or does not fit DECIMAL(18,3).
 */
export function decimalAmount(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // String(n) is the shortest text that reads back as n: 29.99 stays "29.99". Only very
    // small or very large numbers print with an exponent; toFixed handles the small ones and
    // the large ones do not fit anyway.
    text = String(value);
    if (/e/i.test(text)) {
      if (Math.abs(value) >= 1e15) return undefined;
      text = value.toFixed(4);
    }
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const sign = m[1] ?? m[4] ?? '';
  const whole = m[2] ?? '0';
  const frac = m[3] ?? m[5] ?? '';
  if (whole.length > 20) return undefined;
  let thousandths = BigInt(whole + frac.slice(0, 3).padEnd(3, '0'));
  if ((frac[3] ?? '0') >= '5') thousandths += 1n;
  if (thousandths > MAX_THOUSANDTHS) return undefined;
  const digits = thousandths.toString().padStart(4, '0');
  const negative = sign === '-' && thousandths > 0n;
  return `${negative ? '-' : ''}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}
