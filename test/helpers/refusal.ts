// What a parser's refusal says, for tests of the parsers themselves: the FootfallError it threw
// (anything else is rethrown: a crash is not a refusal), or its "CODE: message" in one string.
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
