// A funnel as the API, the CLI and the dashboard send it → checked values. Every refusal is
// FOOTFALL_ERR_INVALID_FUNNEL naming the field. Plausible's rules (its Funnel schema): 2 to 8
// steps, each one of the site's goals, no goal twice; a name unique per site; a type of
// sequential (the default), strict or flexible.
import { footfallError } from '../errors.js';
import { FUNNEL_TYPES, type FunnelType, type NewFunnel } from '../store/funnels.js';
import type { Goal } from '../store/goals.js';

const FUNNEL_LIMITS = { minSteps: 2, maxSteps: 8, nameChars: 120 } as const;
export const FUNNEL_FIELDS = ['name', 'type', 'steps'] as const;

export function badFunnel(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_FUNNEL', `${field}: ${what}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseFunnelType(v: unknown, field = 'type'): FunnelType {
  if (v === undefined) return 'sequential';
  if (typeof v !== 'string' || !(FUNNEL_TYPES as readonly string[]).includes(v)) {
    badFunnel(field, `one of ${FUNNEL_TYPES.join(', ')}`);
  }
  return v as FunnelType;
}

/**
 * The goals a list of steps names — a goal's name (exact) or its id — checked: 2 to 8 of
 * them, each a goal of the site, none twice.
 */
export function stepGoals(v: unknown, goals: readonly Goal[], field = 'steps'): Goal[] {
  const { minSteps, maxSteps } = FUNNEL_LIMITS;
  if (!Array.isArray(v) || v.length < minSteps || v.length > maxSteps) {
    badFunnel(field, `give ${minSteps} to ${maxSteps} steps, each a goal's name or id`);
  }
  const seen = new Set<number>();
  return v.map((s, i) => {
    const at = `${field}[${i}]`;
    const goal =
      typeof s === 'number'
        ? goals.find((g) => g.id === s)
        : typeof s === 'string'
          ? goals.find((g) => g.name === s)
          : badFunnel(at, "a goal's name or id");
    if (!goal) {
      const known = goals.map((g) => JSON.stringify(g.name)).join(', ');
      badFunnel(at, `the site has no goal ${JSON.stringify(s)}; its goals: ${known || 'none yet'}`);
    }
    if (seen.has(goal.id)) badFunnel(at, `${JSON.stringify(goal.name)} is already a step of this funnel`);
    seen.add(goal.id);
    return goal;
  });
}

/** A saved funnel's fields (POST, and PATCH over the funnel as it is) → a NewFunnel. */
export function parseFunnelInput(fields: Record<string, unknown>, goals: readonly Goal[]): NewFunnel {
  for (const key of Object.keys(fields)) {
    if (!(FUNNEL_FIELDS as readonly string[]).includes(key)) {
      badFunnel(key.slice(0, 40), `unknown field (expected ${FUNNEL_FIELDS.join(', ')})`);
    }
  }
  const name = fields.name;
  if (typeof name !== 'string' || name.trim() === '') badFunnel('name', 'give the funnel a name');
  if (name.trim().length > FUNNEL_LIMITS.nameChars)
    badFunnel('name', `at most ${FUNNEL_LIMITS.nameChars} characters`);
  if (CONTROL.test(name)) badFunnel('name', 'must not hold control characters');
  return {
    name: name.trim(),
    type: parseFunnelType(fields.type),
    steps: stepGoals(fields.steps, goals).map((g) => g.id),
  };
}
