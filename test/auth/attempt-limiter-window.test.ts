// The limiter's own promises, on its functions with a hand-moved clock: exactly 5 failures a
// minute per address and per account, the minute's exact edge, the Retry-After it names, a
// right secret taken back even while other attempts run, and which addresses are one client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttemptLimiter, addressBucket, MAX_FAILURES, WINDOW_MS } from '../../src/auth/attempt-limiter.js';
import type { FailureLedger } from '../../src/store/cluster.js';
import { manualClock } from '../helpers/accounts.js';
import { rejection } from '../helpers/refusal.js';

const wrong = async () => false;
const right = async () => true;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

/** The refusal, with the seconds it tells the client to wait. */
async function refusal(attempt: Promise<boolean>): Promise<number> {
  const err = await rejection(attempt);
  assert.equal(err.code, 'FOOTFALL_ERR_TOO_MANY_ATTEMPTS');
  assert.match(err.message, new RegExp(`retry in ${err.retryAfter} s$`));
  return err.retryAfter!;
}

/** A verify that answers when the test says so, to hold an attempt open. */
function held(): { verify: () => Promise<boolean>; answer: (ok: boolean) => void } {
  let answer: (ok: boolean) => void = () => {};
  const promise = new Promise<boolean>((resolve) => {
    answer = resolve;
  });
  return { verify: () => promise, answer: (ok) => answer(ok) };
}

describe('attempt limiter: counting', () => {
  it('five wrong secrets on an account are checked; the sixth is refused without running', async () => {
    const limiter = new AttemptLimiter(manualClock(T0).now);
    for (let i = 0; i < MAX_FAILURES; i++) {
      assert.equal(await limiter.check('login', `192.0.2.${i}`, 'alice', wrong), false);
    }
    let ran = false;
    await refusal(
      limiter.check('login', '192.0.2.99', 'alice', async () => {
        ran = true;
        return true;
      }),
    );
    assert.equal(ran, false, 'a refused attempt never reaches the secret');
  });

  it('five wrong secrets from one address lock that address, for every account', async () => {
    const limiter = new AttemptLimiter(manualClock(T0).now);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', '192.0.2.1', `user${i}`, wrong);
    await refusal(limiter.check('login', '192.0.2.1', 'someone-else', right));
    // Another address and another account are untouched.
    assert.equal(await limiter.check('login', '192.0.2.2', 'someone-else', right), true);
  });

  it('each scope counts apart: login failures do not lock a share link, nor the reverse', async () => {
    const limiter = new AttemptLimiter(manualClock(T0).now);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', '192.0.2.1', 'alice', wrong);
    assert.equal(await limiter.check('share', '192.0.2.1', 'alice', right), true);
    await refusal(limiter.check('login', '192.0.2.1', 'alice', right));
  });

  it('right secrets are not failures: any number of them, and five wrong ones after', async () => {
    const limiter = new AttemptLimiter(manualClock(T0).now);
    for (let i = 0; i < 20; i++)
      assert.equal(await limiter.check('login', '192.0.2.1', 'alice', right), true);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', '192.0.2.1', 'alice', wrong);
    await refusal(limiter.check('login', '192.0.2.1', 'alice', right));
  });

  it('right secrets after a wrong one are taken back, not counted behind it', async () => {
    const clock = manualClock(T0);
    const limiter = new AttemptLimiter(clock.now);
    await limiter.check('login', '192.0.2.1', 'alice', wrong);
    for (let i = 0; i < 10; i++) {
      clock.advance(1);
      assert.equal(await limiter.check('login', '192.0.2.1', 'alice', right), true);
    }
    for (let i = 0; i < MAX_FAILURES - 1; i++) await limiter.check('login', '192.0.2.1', 'alice', wrong);
    await refusal(limiter.check('login', '192.0.2.1', 'alice', wrong));
  });

  it('a right secret is taken back even when another attempt on the account began while it was checked', async () => {
    const clock = manualClock(T0);
    const limiter = new AttemptLimiter(clock.now);
    const slow = held();
    const pending = limiter.check('login', '192.0.2.1', 'alice', slow.verify);
    clock.advance(1);
    // A wrong guess from elsewhere while the right one is still being hashed.
    assert.equal(await limiter.check('login', '198.51.100.1', 'alice', wrong), false);
    slow.answer(true);
    assert.equal(await pending, true);
    // One failure on alice so far (the wrong guess): four more are checked, the sixth refused.
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      assert.equal(await limiter.check('login', `203.0.113.${i}`, 'alice', wrong), false);
    }
    await refusal(limiter.check('login', '203.0.113.50', 'alice', wrong));
  });

  it('taking one attempt back leaves a failure of the same millisecond counted', async () => {
    const limiter = new AttemptLimiter(manualClock(T0).now);
    const slow = held();
    const pending = limiter.check('login', '192.0.2.1', 'alice', slow.verify);
    for (let i = 0; i < MAX_FAILURES - 1; i++)
      await limiter.check('login', `198.51.100.${i}`, 'alice', wrong);
    slow.answer(true);
    await pending;
    // Four wrong guesses at the same instant stay: one more is checked, then alice is locked.
    assert.equal(await limiter.check('login', '203.0.113.1', 'alice', wrong), false);
    await refusal(limiter.check('login', '203.0.113.2', 'alice', wrong));
  });

  it('a right secret whose failure the cache dropped meanwhile takes back no other failure', async () => {
    const clock = manualClock(T0);
    // Room for one attempt's two keys: each attempt on other keys pushes the last one's out.
    const limiter = new AttemptLimiter(clock.now, 2);
    const slow = held();
    const pending = limiter.check('login', '192.0.2.1', 'alice', slow.verify);
    clock.advance(1);
    await limiter.check('login', '198.51.100.1', 'bob', wrong);
    clock.advance(1);
    await limiter.check('login', '192.0.2.1', 'alice', wrong);
    slow.answer(true);
    await pending;
    // alice's one failure is still there: four more are checked, the sixth refused.
    for (let i = 0; i < MAX_FAILURES - 1; i++) await limiter.check('login', '192.0.2.1', 'alice', wrong);
    await refusal(limiter.check('login', '192.0.2.1', 'alice', wrong));
  });

  it('an attempt whose check never ran (it threw) is taken back, and the error goes to the caller', async () => {
    const limiter = new AttemptLimiter(manualClock(T0).now);
    const busy = new Error('busy');
    for (let i = 0; i < MAX_FAILURES + 3; i++) {
      await assert.rejects(
        limiter.check('login', '192.0.2.1', 'alice', async () => {
          throw busy;
        }),
        (err) => err === busy,
      );
    }
    assert.equal(await limiter.check('login', '192.0.2.1', 'alice', wrong), false);
  });
});

describe('attempt limiter: the minute', () => {
  it('a failure counts until exactly one minute after it, then no longer', async () => {
    const clock = manualClock(T0);
    const limiter = new AttemptLimiter(clock.now);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', `192.0.2.${i}`, 'alice', wrong);
    clock.advance(WINDOW_MS - 1);
    await refusal(limiter.check('login', '192.0.2.50', 'alice', right));
    clock.advance(1);
    assert.equal(await limiter.check('login', '192.0.2.50', 'alice', right), true);
  });

  it('Retry-After is the wait until the oldest failure leaves the minute, in whole seconds rounded up', async () => {
    const clock = manualClock(T0);
    const limiter = new AttemptLimiter(clock.now);
    await limiter.check('login', '192.0.2.1', 'alice', wrong);
    clock.advance(10_000);
    for (let i = 1; i < MAX_FAILURES; i++) await limiter.check('login', '192.0.2.1', 'alice', wrong);
    clock.advance(500);
    // The first failure leaves at T0 + 60 s: 49.5 s from now, told as 50.
    assert.equal(await refusal(limiter.check('login', '192.0.2.9', 'alice', wrong)), 50);
    clock.advance(WINDOW_MS - 10_500 - 200);
    // 0.2 s left: still a whole second.
    assert.equal(await refusal(limiter.check('login', '192.0.2.9', 'alice', wrong)), 1);
  });

  it('once the oldest failure has left the minute, the wait is for the oldest one still in it', async () => {
    const clock = manualClock(T0);
    const limiter = new AttemptLimiter(clock.now);
    await limiter.check('login', '192.0.2.1', 'alice', wrong);
    clock.advance(30_000);
    for (let i = 1; i < MAX_FAILURES; i++) await limiter.check('login', '192.0.2.1', 'alice', wrong);
    clock.advance(31_000);
    // T0 + 61 s: four failures in the minute, so one more is checked…
    assert.equal(await limiter.check('login', '192.0.2.1', 'alice', wrong), false);
    // …and then the five are those of T0 + 30 s and later, which leave at T0 + 90 s.
    assert.equal(await refusal(limiter.check('login', '192.0.2.1', 'alice', wrong)), 29);
  });

  it('Retry-After names the longer wait when both the address and the account are used up', async () => {
    const clock = manualClock(T0);
    const limiter = new AttemptLimiter(clock.now);
    // The address fails first (other accounts), the account 20 s later (other addresses).
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', '192.0.2.1', `u${i}`, wrong);
    clock.advance(20_000);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', `198.51.100.${i}`, 'alice', wrong);
    // Address free in 40 s, account in 60 s: the client must wait for both.
    assert.equal(await refusal(limiter.check('login', '192.0.2.1', 'alice', right)), 60);
    // In the other order of keys' waits too: the address is the later one here.
    const limiter2 = new AttemptLimiter(clock.now);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter2.check('login', `198.51.100.${i}`, 'bob', wrong);
    clock.advance(20_000);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter2.check('login', '192.0.2.1', `v${i}`, wrong);
    assert.equal(await refusal(limiter2.check('login', '192.0.2.1', 'bob', right)), 60);
  });
});

describe('attempt limiter: shared by a cluster', () => {
  // A ledger kept in a list, standing for the PostgreSQL one: it shows what the limiter asks
  // of any ledger (the keys, the instant, the rule) and what it does with the answer.
  function listLedger(answer: { retryAfterMs: number } | 'count', undoFails = false) {
    const calls: { keys: readonly string[]; now: number; windowMs: number; max: number }[] = [];
    let undone = 0;
    const ledger: FailureLedger = {
      begin: async (keys, now, windowMs, max) => {
        calls.push({ keys, now, windowMs, max });
        if (answer !== 'count') return answer;
        return {
          undo: async () => {
            undone++;
            if (undoFails) throw new Error('the database went away');
          },
        };
      },
    };
    return { ledger, calls, undone: () => undone };
  }

  it('asks the ledger with the address bucket and account keys, the instant and the 5-a-minute rule', async () => {
    const { ledger, calls, undone } = listLedger('count');
    const limiter = new AttemptLimiter(manualClock(T0).now, undefined, ledger);
    assert.equal(await limiter.check('share', '2001:db8:1:2::7', '12', wrong), false);
    assert.deepEqual(calls, [
      { keys: ['share-ip:2001:db8:1:2::/64', 'share:12'], now: T0, windowMs: WINDOW_MS, max: MAX_FAILURES },
    ]);
    assert.equal(undone(), 0, 'a wrong secret stays counted');
    assert.equal(await limiter.check('share', '192.0.2.1', '12', right), true);
    assert.equal(undone(), 1, 'a right one is taken back');
  });

  it('a refusal from the ledger is a 429 with its wait; a failed take-back keeps the answer', async () => {
    const refused = new AttemptLimiter(
      manualClock(T0).now,
      undefined,
      listLedger({ retryAfterMs: 1_001 }).ledger,
    );
    assert.equal(await refusal(refused.check('login', '192.0.2.1', 'alice', right)), 2);
    const tiny = new AttemptLimiter(manualClock(T0).now, undefined, listLedger({ retryAfterMs: 1 }).ledger);
    assert.equal(await refusal(tiny.check('login', '192.0.2.1', 'alice', right)), 1);
    const broken = listLedger('count', true);
    const limiter = new AttemptLimiter(manualClock(T0).now, undefined, broken.ledger);
    assert.equal(await limiter.check('login', '192.0.2.1', 'alice', right), true);
    assert.equal(broken.undone(), 1);
  });
});

describe('addressBucket', () => {
  it('keeps IPv4 addresses and anything that is not an IP address as they are', () => {
    assert.equal(addressBucket('192.0.2.33'), '192.0.2.33');
    assert.equal(addressBucket('unknown'), 'unknown');
  });

  it('puts an IPv6 address under its /64, written without leading zeros', () => {
    assert.equal(addressBucket('2001:0db8:00a0:0b00:1:2:3:4'), '2001:db8:a0:b00::/64');
    assert.equal(addressBucket('fe80::1'), 'fe80:0:0:0::/64');
    assert.equal(addressBucket('2001:db8:1::'), '2001:db8:1:0::/64');
  });

  it('reads a dotted IPv4 tail as two groups, and maps only ::ffff:a.b.c.d back to IPv4', () => {
    assert.equal(addressBucket('::ffff:10.20.30.40'), '10.20.30.40');
    assert.equal(addressBucket('::ffff:c0a8:102'), '192.168.1.2');
    assert.equal(addressBucket('0:0::ffff:1.2.3.4'), '1.2.3.4', 'zeros written before the ::');
    // NAT64 and other prefixes with an IPv4 tail are IPv6 clients like any other.
    assert.equal(addressBucket('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
    assert.equal(addressBucket('1::ffff:192.0.2.1'), '1:0:0:0::/64');
    assert.equal(addressBucket('0:0:0:0:1:ffff:c000:201'), '0:0:0:0::/64');
    // ::ffff:0:a.b.c.d (IPv4-translated) is not the mapped form.
    assert.equal(addressBucket('::ffff:0:192.0.2.1'), '0:0:0:0::/64');
  });
});
