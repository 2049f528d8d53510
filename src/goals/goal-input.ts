// A goal as the API, the CLI and the dashboard send it → a checked NewGoal. Every refusal is
// FOOTFALL_ERR_INVALID_GOAL naming the field. The rules follow Plausible's goal changeset
// (lib/plausible/goal.ex): a page path starts with "/" (one is added when missing), an event
// name is at most 120 characters and not "engagement", at most 3 properties, the display name
// defaults to "Visit <path>" or the event name; Footfall adds a name for scroll goals
// ("Scroll 75% on /pricing") and refuses patterns with "***" (no meaning beyond "*").
import { LIMITS } from '../collect/limits.js';
import { footfallError } from '../errors.js';
import { currencyCode } from '../revenue/money.js';
import type { NewGoal } from '../store/goals.js';

export const GOAL_LIMITS = { props: 3, nameChars: 120, eventChars: 120, pageBytes: 2000 } as const;

/** The fields a goal is written with (POST and PATCH bodies). */
export const GOAL_FIELDS = ['page', 'event', 'scroll', 'props', 'name', 'currency'] as const;

function bad(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_GOAL', `${field}: ${what}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string') bad(field, 'must be a string');
  const s = v.trim();
  if (s === '') bad(field, 'must not be empty');
  if (s.length > max) bad(field, `at most ${max} characters`);
  if (CONTROL.test(s)) bad(field, 'must not hold control characters');
  return s;
}

function pagePath(v: unknown): string {
  let path = text(v, 'page', GOAL_LIMITS.pageBytes);
  if (!path.startsWith('/')) path = `/${path}`;
  if (Buffer.byteLength(path) > GOAL_LIMITS.pageBytes) bad('page', `at most ${GOAL_LIMITS.pageBytes} bytes`);
  if (path.includes('***')) bad('page', 'invalid wildcard "***": use * (or **) for any characters');
  if (/\s/.test(path)) bad('page', 'a page path has no spaces');
  return path;
}

function props(v: unknown): [string, string][] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'object' || Array.isArray(v)) bad('props', 'must be an object of property values');
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > GOAL_LIMITS.props) bad('props', `at most ${GOAL_LIMITS.props} properties per goal`);
  return entries.map(([key, value]) => {
    if (key === '' || Buffer.byteLength(key) > LIMITS.propKeyBytes) {
      bad('props', `a property name has 1 to ${LIMITS.propKeyBytes} bytes`);
    }
    if (typeof value !== 'string' || value === '' || Buffer.byteLength(value) > LIMITS.propValueBytes) {
      bad(`props.${key.slice(0, 40)}`, `a value is a string of 1 to ${LIMITS.propValueBytes} bytes`);
    }
    return [key, value];
  });
}

export function parseGoalInput(fields: Record<string, unknown>): NewGoal {
  for (const key of Object.keys(fields)) {
    if (!(GOAL_FIELDS as readonly string[]).includes(key)) {
      bad(key.slice(0, 40), `unknown field (expected ${GOAL_FIELDS.join(', ')})`);
    }
  }
  const given = (k: string) => fields[k] !== undefined && fields[k] !== null;
  if (given('event') === given('page')) bad('event', 'give either an event name or a page path');
  let scroll: number | null = null;
  if (given('scroll')) {
    if (!given('page')) bad('scroll', 'a scroll-depth goal needs a page path');
    const t = fields.scroll;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 100) {
      bad('scroll', 'a whole percentage from 1 to 100');
    }
    scroll = t;
  }
  const event = given('event') ? text(fields.event, 'event', GOAL_LIMITS.eventChars) : null;
  if (event === 'engagement') bad('event', "'engagement' is reserved (scroll and time on page)");
  const page = given('page') ? pagePath(fields.page) : null;
  const defaultName = event ?? (scroll !== null ? `Scroll ${scroll}% on ${page}` : `Visit ${page}`);
  const name = given('name') ? text(fields.name, 'name', GOAL_LIMITS.nameChars) : defaultName;
  // Revenue goals are custom-event goals, as in Plausible (a purchase is an event).
  let currency: string | null = null;
  if (given('currency')) {
    if (event === null) bad('currency', 'only a custom-event goal can be a revenue goal');
    currency =
      currencyCode(fields.currency) ?? bad('currency', 'must be an ISO 4217 currency code, e.g. EUR');
  }
  return { name, event, page, scroll, props: props(fields.props), currency };
}
