// A node:test reporter that prints nothing until the run ends, then the slowest test files
// and the slowest single tests, so a file that starts to drag the suite shows up at once
// (the suite must stay under 10 minutes on the 2-core machine). Used by scripts/test.mjs
// beside the spec reporter.
import path from 'node:path';

const SHOW = 10;
const seconds = (ms) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

export default async function* slowest(source) {
  // Node 20 reports no per-file event, and queues every file's tests at the start (so a span
  // from first to last event is the whole run). Files run one after another, so a file's time
  // is the sum of its top-level tests and suites (nesting 0).
  const files = new Map();
  const tests = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details, nesting } = event.data ?? {};
    if (!file) continue;
    // Named as in the repository, not as in the transpiled copy the suite runs (test-build.mjs).
    const where = path
      .relative(process.cwd(), file)
      .replace(/^\.test-build[/\\]/, '')
      .replace(/\.js$/, '.ts');
    const ms = details?.duration_ms ?? 0;
    if (nesting === 0) files.set(where, (files.get(where) ?? 0) + ms);
    if (details?.type !== 'suite') tests.push({ name: `${where}: ${name}`, ms });
  }
  const top = (rows) =>
    rows
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOW)
      .map((r) => `${seconds(r.ms)}  ${r.name}\n`)
      .join('');
  const byFile = [...files].map(([name, ms]) => ({ name, ms }));
  if (byFile.length > 1) yield `\nSlowest test files:\n${top(byFile)}`;
  if (tests.length > 0) yield `\nSlowest tests:\n${top(tests)}`;
}
