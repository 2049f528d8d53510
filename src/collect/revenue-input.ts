// Revenue on a tracked event, from each payload shape: Plausible's `revenue` / `$`
// (`{amount, currency}`, or its JSON text, as Plausible's tracker sends it), Umami's event data
// `revenue` + `currency`, and Footfall's tracker (Plausible's shape). Plausible drops a revenue
// it cannot read and stores the event without it; Footfall refuses the event with a 400 naming
// the field instead, so a shop's broken checkout tag is seen the first time it fires rather
// than as missing money weeks later. Negative amounts (refunds) are kept, as Plausible keeps them.
import { footfallError } from '../errors.js';
import { currencyCode, decimalAmount, type Money } from '../revenue/money.js';

/** `{amount, currency}` (or its JSON text) → Money; null when absent. */
export function parseRevenue(value: unknown, field: string): Money | null {
  if (value === undefined || value === null) return null;
  let obj = value;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj);
    } catch {
      throw footfallError('FOOTFALL_ERR_INVALID_REVENUE', `${field} is not valid JSON`);
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw footfallError('FOOTFALL_ERR_INVALID_REVENUE', `${field} must be an object {amount, currency}`);
  }
  const o = obj as Record<string, unknown>;
  return revenueOf(o.amount, o.currency, `${field}.amount`, `${field}.currency`);
}

/** An amount and a currency given apart (Umami's event data) → Money. */
export function revenueOf(
  amount: unknown,
  currency: unknown,
  amountField: string,
  currencyField: string,
): Money {
  const exact = decimalAmount(amount);
  if (exact === undefined) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_REVENUE',
      `${amountField} must be a number (or numeric text) between -999999999999999.999 and 999999999999999.999`,
    );
  }
  const code = currencyCode(currency);
  if (code === undefined) {
    throw footfallError('FOOTFALL_ERR_INVALID_REVENUE', `${currencyField} must be an ISO 4217 currency code`);
  }
  return { amount: exact, currency: code };
}
