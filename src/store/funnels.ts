// What funnel management and the funnel query may ask of a store: a site's saved funnels, each
// an ordered list of 2–8 of its goals. Engine-neutral like GoalStore (DuckDB's metadata holds
// it today): plain values in and out; checks of meaning stay in src/goals/funnel-input.ts.

export const FUNNEL_TYPES = ['sequential', 'strict', 'flexible'] as const;
export type FunnelType = (typeof FUNNEL_TYPES)[number];

export interface NewFunnel {
  /** Unique per site. */
  name: string;
  type: FunnelType;
  /** The steps' goal ids, in order. */
  steps: number[];
}

export interface Funnel extends NewFunnel {
  id: number;
  createdAt: number;
}

export interface FunnelStore {
  /** The site's funnels in the order they were made. */
  listFunnels(domain: string): Promise<Funnel[]>;
  /** Throws FOOTFALL_ERR_SITE_NOT_FOUND, or FOOTFALL_ERR_INVALID_FUNNEL when the name is taken. */
  addFunnel(domain: string, funnel: NewFunnel, now: number): Promise<Funnel>;
  /** Replaces a funnel's name, type and steps; undefined when the site has no such funnel. */
  updateFunnel(domain: string, id: number, funnel: NewFunnel): Promise<Funnel | undefined>;
  removeFunnel(domain: string, id: number): Promise<boolean>;
}
