import { openDuckDbStore } from './src/store/duckdb/open.ts';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
rmSync('/tmp/cpudb', { recursive: true, force: true });
const s = await openDuckDbStore('/tmp/cpudb');
const settings = process.argv[2];
if (settings) for (const st of settings.split(';')) await s.queryRows(st);
const mk = (i: number) => ({ siteId: 1, ts: Date.now(), name: 'pageview', hostname: 'example.com', pathname: '/blog/post', title: 'Bench', referrer: 'https://news.ycombinator.com/', referrerHost: 'news.ycombinator.com', utmSource: '', utmMedium: '', utmCampaign: '', utmTerm: '', utmContent: '', props: [] as [string,string][], interactive: true, visitorId: randomBytes(8).readBigUInt64BE(), sessionId: randomBytes(8).readBigUInt64BE(), browser: 'Chrome', browserVersion: '130', os: 'Linux', osVersion: '', device: 'desktop', screen: '', language: '', country: '', region: '', city: '', source: 'Hacker News', channel: 'Referral', scrollDepth: null, engagementMs: null });
const n = 3000, R = 70;
const c0 = process.cpuUsage(); const w0 = performance.now(); let maxMs = 0;
for (let k = 0; k < R; k++) { const rows = Array.from({ length: n }, (_, i) => mk(k * n + i)); const t = performance.now(); await s.appendEvents(rows, { segment: 1, offset: k }); maxMs = Math.max(maxMs, performance.now() - t); }
const c = process.cpuUsage(c0);
console.log(`${settings ?? 'default'}: cpu ${((c.user + c.system) / (n * R)).toFixed(1)} µs/row, wall ${((performance.now() - w0) * 1000 / (n * R)).toFixed(1)} µs/row, slowest load ${maxMs.toFixed(0)} ms`);
await s.close();
