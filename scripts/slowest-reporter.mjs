// A node:test reporter that prints nothing until the run ends, then the slowest test files
// and the slowest single tests, so a file that starts to drag the suite shows up at once
// (the suite must stay under 10 minutes on the 2-core machine). Used by scripts/test.mjs
// beside the spec reporter.
import path from 'node:path';

const SHOW = 10;
const seconds = (ms) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

export default async function* slowest(source) {
  // Node 20 reports no per-file event: a file's time is the span from its first event (its
  // first test queued, after its imports) to its last result, as the events arrive.
  const spans = new Map();
  const tests = [];
  for await (const event of source) {
    const { name, file, details } = event.data ?? {};
    if (!file) continue;
    const where = path.relative(process.cwd(), file);
    const span = spans.get(where) ?? { first: Date.now(), last: 0 };
    span.last = Date.now();
    spans.set(where, span);
    if ((event.type === 'test:pass' || event.type === 'test:fail') && details?.type !== 'suite')
      tests.push({ name: `${where}: ${name}`, ms: details?.duration_ms ?? 0 });
  }
  const top = (rows) =>
    rows
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOW)
      .map((r) => `${seconds(r.ms)}  ${r.name}\n`)
      .join('');
  const files = [...spans].map(([name, s]) => ({ name, ms: s.last - s.first }));
  if (files.length > 1) yield `\nSlowest test files:\n${top(files)}`;
  if (tests.length > 0) yield `\nSlowest tests:\n${top(tests)}`;
}
