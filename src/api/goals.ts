// /api/sites/<domain>/goals: a site's goals, listed by anyone who may read the site and written
// by those who may change its settings (src/auth/rules.ts). Input checks: src/goals/goal-input.ts.
import type { FastifyInstance } from 'fastify';
import { footfallError } from '../errors.js';
import { GOAL_FIELDS, parseGoalInput } from '../goals/goal-input.js';
import { goalView } from '../goals/goal-view.js';
import type { GoalStore } from '../store/goals.js';
import { bodyFields, domainParam, idParam } from './input.js';

export interface GoalApiDeps {
  goals: GoalStore;
  now: () => number;
  /** Whether the site exists (a missing site is a 404, not an empty list). */
  siteExists: (domain: string) => Promise<boolean>;
}

export async function goalRoutes(app: FastifyInstance, deps: GoalApiDeps): Promise<void> {
  const { goals } = deps;
  const site = async (domain: string) => {
    if (!(await deps.siteExists(domain))) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    return domain;
  };

  app.get('/api/sites/:domain/goals', async (req) => ({
    goals: (await goals.listGoals(await site(domainParam(req)))).map(goalView),
  }));

  app.post('/api/sites/:domain/goals', async (req, reply) => {
    const goal = parseGoalInput(bodyFields(req, GOAL_FIELDS));
    const added = await goals.addGoal(await site(domainParam(req)), goal, deps.now());
    reply.code(201);
    return { goal: goalView(added) };
  });

  // A PATCH names the fields that change; the goal is then checked whole, as a new one is.
  app.patch('/api/sites/:domain/goals/:id', async (req) => {
    const fields = bodyFields(req, GOAL_FIELDS);
    const domain = await site(domainParam(req));
    const id = idParam(req, 'id');
    const old = (await goals.listGoals(domain)).find((g) => g.id === id);
    if (!old) throw footfallError('FOOTFALL_ERR_GOAL_NOT_FOUND', String(id));
    // Switching kind (an event goal to a page goal…) clears the other kind's fields.
    const kindChange = 'event' in fields || 'page' in fields;
    const merged: Record<string, unknown> = {
      event: kindChange ? undefined : old.event,
      page: kindChange ? undefined : old.page,
      scroll: kindChange ? undefined : old.scroll,
      currency: kindChange ? undefined : old.currency,
      props: Object.fromEntries(old.props),
      name: old.name,
      ...fields,
    };
    const updated = await goals.updateGoal(domain, id, parseGoalInput(merged));
    if (!updated) throw footfallError('FOOTFALL_ERR_GOAL_NOT_FOUND', String(id));
    return { goal: goalView(updated) };
  });

  app.delete('/api/sites/:domain/goals/:id', async (req, reply) => {
    const domain = await site(domainParam(req));
    if (!(await goals.removeGoal(domain, idParam(req, 'id')))) {
      throw footfallError('FOOTFALL_ERR_GOAL_NOT_FOUND', (req.params as { id: string }).id);
    }
    reply.code(204);
  });
}
