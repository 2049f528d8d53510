// Funnels (POST /api/v2/funnel) against answers computed from the events by a literal walk of
// ClickHouse's windowFunnel (funnel-oracle.ts): every type, by visitor and within a visit,
// scroll-goal steps, filters, and the crafted visitors of edge-visits.ts (a visitor across two
// days and the 24-hour window, steps out of order, repeated, skipped, at the same instant,
// another page between steps). Run inside the goals cases, on their fixture and goals.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SITE, type StatsFixture } from '../fixture.js';
import { type FunnelOracleQuery, funnelOracle } from '../funnel-oracle.js';
import type { OracleGoal } from '../goal-oracle.js';

const D30 = { fromMs: Date.parse('2026-10-01T22:00:00Z'), toMs: Date.parse('2026-11-01T23:00:00Z') };

export function funnelCases(fixture: () => StatsFixture, goals: readonly OracleGoal[]): void {
  const check = async (
    body: { steps: string[]; type?: FunnelOracleQuery['type']; within?: 'visit'; filters?: unknown[][] },
    range: { date_range: unknown; fromMs: number; toMs: number } = { date_range: '30d', ...D30 },
  ) => {
    const f = fixture();
    const res = await f.post('/api/v2/funnel', { site_id: SITE, date_range: range.date_range, ...body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const want = funnelOracle(f.events, f.siteId, goals, {
      steps: body.steps,
      type: body.type ?? 'sequential',
      within: body.within ?? 'visitor',
      filters: body.filters ?? [],
      fromMs: range.fromMs,
      toMs: range.toMs,
      timezone: 'Europe/Berlin',
    });
    const { steps, ...totals } = res.body;
    assert.deepEqual(
      {
        all_visitors: totals.all_visitors,
        entering_visitors: totals.entering_visitors,
        entering_visitors_percentage: totals.entering_visitors_percentage,
        never_entering_visitors: totals.never_entering_visitors,
        never_entering_visitors_percentage: totals.never_entering_visitors_percentage,
        steps: steps.map(({ goal_id: _, ...s }: Record<string, unknown>) => s),
      },
      want,
      JSON.stringify(body),
    );
    return res.body;
  };
  const STEPS = ['Home', 'Posts 1x', 'Signup'];

  for (const type of ['sequential', 'strict', 'flexible'] as const) {
    it(`a ${type} funnel of three steps equals windowFunnel's walk of the events`, async () => {
      const got = await check({ steps: STEPS, type });
      assert.equal(got.funnel_type, type);
      assert.ok(got.steps[2].visitors > 0 && got.steps[2].visitors < got.steps[0].visitors);
    });
    it(`a ${type} funnel within one visit, of four steps with a scroll goal`, async () => {
      await check({ steps: ['Home read', 'Any blog', 'Middle star', 'Signup'], type, within: 'visit' });
    });
  }

  it('the types differ on the same steps, as their definitions say', async () => {
    const n = async (type: string) =>
      (await check({ steps: ['Home', 'Posts 1x', 'Middle star', 'Signup'], type: type as 'strict' })).steps[3]
        .visitors as number;
    const [sequential, strict, flexible] = [await n('sequential'), await n('strict'), await n('flexible')];
    assert.ok(strict <= sequential && sequential <= flexible, `${strict} ${sequential} ${flexible}`);
    assert.ok(strict < flexible);
  });

  it('filters apply to the events a funnel reads (a device, a source)', async () => {
    await check({ steps: STEPS, filters: [['is', 'visit:device', ['Desktop']]] });
    await check({
      steps: ['Any blog', 'GitHub click'],
      type: 'strict',
      filters: [['contains', 'visit:source', ['o']]],
    });
  });

  it('the 24-hour window: one visitor id across two days reaches step 2, not step 3', async () => {
    // Only the crafted visits of 5–6 October: their visitor is the only one with those steps.
    const range = {
      date_range: ['2026-10-05', '2026-10-06'],
      fromMs: Date.parse('2026-10-04T22:00:00Z'),
      toMs: Date.parse('2026-10-06T22:00:00Z'),
    };
    const got = await check({ steps: STEPS, filters: [['is', 'event:page', ['/', '/blog/post-1']]] }, range);
    assert.ok(got.steps[1].visitors >= 1);
    // Within one visit the same visitor never gets past the first step.
    await check({ steps: STEPS, within: 'visit' }, range);
  });
}
