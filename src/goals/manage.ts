// Listing, adding and removing a site's goals with the input checks; shared by the CLI (direct
// on the data directory) and the running server's control socket. (The HTTP API has its own
// routes, src/api/goals.ts, which also change goals.)
import { footfallError } from '../errors.js';
import { normalizeDomain } from '../sites/domain.js';
import type { GoalStore } from '../store/goals.js';
import type { SiteStore } from '../store/types.js';
import { parseGoalInput } from './goal-input.js';
import { type GoalView, goalView } from './goal-view.js';

export type GoalAdminStore = Pick<SiteStore, 'listSites'> & { readonly goals: GoalStore };

/** The site's normalized domain, or FOOTFALL_ERR_SITE_NOT_FOUND (also for funnels: manage-funnels.ts). */
export async function siteDomain(store: Pick<SiteStore, 'listSites'>, input: string): Promise<string> {
  const domain = normalizeDomain(input);
  if (!(await store.listSites()).some((s) => s.domain === domain)) {
    throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
  }
  return domain;
}

export async function listGoals(store: GoalAdminStore, domain: string): Promise<GoalView[]> {
  return (await store.goals.listGoals(await siteDomain(store, domain))).map(goalView);
}

export async function addGoal(
  store: GoalAdminStore,
  domain: string,
  fields: Record<string, unknown>,
  now: number,
): Promise<GoalView> {
  const goal = parseGoalInput(fields);
  return goalView(await store.goals.addGoal(await siteDomain(store, domain), goal, now));
}

export async function removeGoal(store: GoalAdminStore, domain: string, id: number): Promise<void> {
  if (!(await store.goals.removeGoal(await siteDomain(store, domain), id))) {
    throw footfallError('FOOTFALL_ERR_GOAL_NOT_FOUND', String(id));
  }
}
