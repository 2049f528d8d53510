// What goal management and the query layer may ask of a store about goals: a site's list of
// what counts as a conversion. Engine-neutral (DuckDB holds it today; PostgreSQL metadata may
// later): plain values in and out, checks of meaning stay in src/goals/.

/** What a goal matches; exactly one of `event` and `page` is set, `scroll` only with `page`. */
export interface GoalDefinition {
  /** A custom event's name (an event goal). */
  event: string | null;
  /** A page path, `*` a wildcard (a page-view goal, or with `scroll` a scroll-depth goal). */
  page: string | null;
  /** A scroll-depth goal's threshold in percent, 1–100. */
  scroll: number | null;
  /** Property values the event must carry, at most three, as [key, value] pairs. */
  props: [string, string][];
  /**
   * An event goal's ISO 4217 currency, which makes it a revenue goal: its conversions' amounts
   * in this currency are summed (query/revenue.ts). Null or absent: not a revenue goal.
   */
  currency?: string | null;
}

export interface NewGoal extends GoalDefinition {
  /** The display name, unique per site: what `event:goal` reads. */
  name: string;
}

export interface Goal extends NewGoal {
  id: number;
  createdAt: number;
}

export interface GoalStore {
  /** The site's goals in the order they were made. */
  listGoals(domain: string): Promise<Goal[]>;
  /** Throws FOOTFALL_ERR_SITE_NOT_FOUND, or FOOTFALL_ERR_INVALID_GOAL when the name is taken. */
  addGoal(domain: string, goal: NewGoal, now: number): Promise<Goal>;
  /** Replaces a goal's definition and name; undefined when the site has no such goal. */
  updateGoal(domain: string, id: number, goal: NewGoal): Promise<Goal | undefined>;
  removeGoal(domain: string, id: number): Promise<boolean>;
}
