// A saved funnel as the API and `footfall funnel list --json` show it: its steps with their
// goals' current names.
import type { Funnel, FunnelType } from '../store/funnels.js';
import type { Goal } from '../store/goals.js';

export interface FunnelView {
  id: number;
  name: string;
  type: FunnelType;
  steps: { goal_id: number; name: string }[];
}

export function funnelView(f: Funnel, goals: readonly Goal[]): FunnelView {
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    steps: f.steps.map((id) => ({ goal_id: id, name: goals.find((g) => g.id === id)?.name ?? '' })),
  };
}
