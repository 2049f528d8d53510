// Listing, adding, changing and removing a site's funnels with the input checks; shared by the
// HTTP API (src/api/funnels.ts), the CLI on the data directory and the running server's control
// socket, so the three check a funnel the same way.
import { footfallError } from '../errors.js';
import type { FunnelStore } from '../store/funnels.js';
import type { GoalStore } from '../store/goals.js';
import type { SiteStore } from '../store/types.js';
import { parseFunnelInput } from './funnel-input.js';
import { type FunnelView, funnelView } from './funnel-view.js';
import { siteDomain } from './manage.js';

export type FunnelAdminStore = Pick<SiteStore, 'listSites'> & {
  readonly goals: GoalStore;
  readonly funnels: FunnelStore;
};

export async function listFunnels(store: FunnelAdminStore, input: string): Promise<FunnelView[]> {
  const domain = await siteDomain(store, input);
  const goals = await store.goals.listGoals(domain);
  return (await store.funnels.listFunnels(domain)).map((f) => funnelView(f, goals));
}

export async function addFunnel(
  store: FunnelAdminStore,
  input: string,
  fields: Record<string, unknown>,
  now: number,
): Promise<FunnelView> {
  const domain = await siteDomain(store, input);
  const goals = await store.goals.listGoals(domain);
  return funnelView(await store.funnels.addFunnel(domain, parseFunnelInput(fields, goals), now), goals);
}

/** A PATCH names the fields that change; the funnel is then checked whole, as a new one is. */
export async function updateFunnel(
  store: FunnelAdminStore,
  input: string,
  id: number,
  fields: Record<string, unknown>,
): Promise<FunnelView> {
  const domain = await siteDomain(store, input);
  const goals = await store.goals.listGoals(domain);
  const old = (await store.funnels.listFunnels(domain)).find((f) => f.id === id);
  if (!old) throw footfallError('FOOTFALL_ERR_FUNNEL_NOT_FOUND', String(id));
  const merged = { name: old.name, type: old.type, steps: old.steps, ...fields };
  const updated = await store.funnels.updateFunnel(domain, id, parseFunnelInput(merged, goals));
  if (!updated) throw footfallError('FOOTFALL_ERR_FUNNEL_NOT_FOUND', String(id));
  return funnelView(updated, goals);
}

export async function removeFunnel(store: FunnelAdminStore, input: string, id: number): Promise<void> {
  if (!(await store.funnels.removeFunnel(await siteDomain(store, input), id))) {
    throw footfallError('FOOTFALL_ERR_FUNNEL_NOT_FOUND', String(id));
  }
}
