// `import logs` splits its input into lines itself, a read at a time (lineBatches), instead of
// through readline's per-line iterator: the lines, their count and so every "line N" in a
// message must be what readline gives, however the reads cut the text — a \r\n split between
// two reads, a lone \r, a UTF-8 character split between reads, no newline at the end.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { lineBatches } from '../../src/import/logs-import.js';

const TEXTS = [
  'a\nb\n',
  'a\r\nb\r\n',
  'a\r\nb',
  'a\rb\r\rc\n\n\nd',
  '\n\nfirst after blanks\n',
  'ünïcode 🦊 line\r\nsecond ✓\n',
  'no newline at all',
  '',
  '\r',
  'x\r\n\r\n',
];

async function viaReadline(bytes: Buffer, cuts: number[]): Promise<string[]> {
  const out: string[] = [];
  const rl = createInterface({
    input: Readable.from(pieces(bytes, cuts)),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) out.push(line);
  return out;
}

async function viaBatches(bytes: Buffer, cuts: number[]): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of lineBatches(Readable.from(pieces(bytes, cuts)))) out.push(...lines);
  return out;
}

/** The bytes cut at the given offsets, as separate reads. */
function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length]) {
    out.push(bytes.subarray(at, cut));
    at = cut;
  }
  return out.filter((b) => b.length > 0);
}

describe('lineBatches gives the lines readline gives', () => {
  it('for every text cut into reads at every offset, and at every pair of offsets', async () => {
    for (const text of TEXTS) {
      const bytes = Buffer.from(text);
      const cutsList: number[][] = [[]];
      for (let i = 1; i < bytes.length; i++) {
        cutsList.push([i]);
        for (let j = i + 1; j < bytes.length; j++) cutsList.push([i, j]);
      }
      for (const cuts of cutsList) {
        assert.deepEqual(
          await viaBatches(bytes, cuts),
          await viaReadline(bytes, cuts),
          `${JSON.stringify(text)} cut at ${cuts}`,
        );
      }
    }
  });
});
