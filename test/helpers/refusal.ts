// What a refusal says, for tests that call our functions directly: the FootfallError a call threw
// or a promise was rejected with (anything else fails the test: a crash is not a refusal), its
// code, or its "CODE: message" in one string.
import assert from 'node:assert/strict';
import { FootfallError } from '../../src/errors.js';

/** The FootfallError `fn` threw, or undefined when it accepted. */
export function refusal(fn: () => unknown): FootfallError | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof FootfallError) return err;
    throw err;
  }
}

/** "CODE: message" of the refusal, or 'ok'. */
export function answer(fn: () => unknown): string {
  const err = refusal(fn);
  return err ? `${err.code}: ${err.message}` : 'ok';
}

/** The code of the refusal, or 'ok'. */
export const codeOf = (fn: () => unknown): string => refusal(fn)?.code ?? 'ok';

/** The FootfallError `fn` threw; the test fails when it accepted. */
export function refused(fn: () => unknown): FootfallError {
  const err = refusal(fn);
  if (err === undefined) assert.fail('expected a refusal');
  return err;
}

/** The FootfallError `p` was rejected with; the test fails when it resolved or failed otherwise. */
export async function rejection(p: Promise<unknown>): Promise<FootfallError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FootfallError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}
