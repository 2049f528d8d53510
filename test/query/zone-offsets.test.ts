import assert from 'node:assert/strict';
import { it } from 'node:test';
import { offsetSteps } from '../../src/query/zone-offsets.js';

it("a zone's offsets over a range, one step per DST change, each change to the minute", () => {
  assert.deepEqual(
    offsetSteps('Europe/Berlin', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z')),
    [
      { untilMs: Date.parse('2026-03-29T01:00:00Z'), offsetMinutes: 60 },
      { untilMs: Date.parse('2026-10-25T01:00:00Z'), offsetMinutes: 120 },
      { untilMs: Number.POSITIVE_INFINITY, offsetMinutes: 60 },
    ],
  );
  assert.deepEqual(
    offsetSteps('Asia/Kolkata', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z')),
    [{ untilMs: Number.POSITIVE_INFINITY, offsetMinutes: 330 }],
  );
  // Lord Howe Island moves its clocks by half an hour.
  const lordHowe = offsetSteps(
    'Australia/Lord_Howe',
    Date.parse('2026-03-01T00:00:00Z'),
    Date.parse('2026-05-01T00:00:00Z'),
  );
  assert.deepEqual(
    lordHowe.map((s) => s.offsetMinutes),
    [660, 630],
  );
  assert.equal(lordHowe[0]!.untilMs, Date.parse('2026-04-04T15:00:00Z'));
});
