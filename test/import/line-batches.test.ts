// `import logs` splits its input into lines itself, a read at a time (lineBatches), instead of
// through readline's per-line iterator: the lines, their count and so every "line N" in a
// message must be what readline gives, however the reads cut the text — a \r\n split between
// two reads, a lone \r, a UTF-8 character split between reads, no newline at the end.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { lineBatches, MAX_LINE_BYTES, READ_BYTES } from '../../src/import/line-batches.js';

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

/**
 * The pieces as fileChunks gives a file's reads: each copied into one buffer that the next read
 * overwrites, so a line that kept a reference into a read would change under the test.
 */
async function* reused(parts: Buffer[]): AsyncGenerator<Buffer> {
  const buf = Buffer.alloc(Math.max(1, ...parts.map((p) => p.length)));
  for (const part of parts) {
    buf.fill(0x5a);
    part.copy(buf);
    yield buf.subarray(0, part.length);
  }
  buf.fill(0x5a);
}

async function viaBatches(bytes: Buffer, cuts: number[], pieceBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of lineBatches(reused(pieces(bytes, cuts)), pieceBytes)) out.push(...lines);
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
        const expected = await viaReadline(bytes, cuts);
        // A read is decoded in pieces of at most `pieceBytes` (48 KB unless a test says): small
        // pieces put a piece's end at every place in these short texts.
        for (const pieceBytes of [undefined, 1, 2, 3, 5]) {
          assert.deepEqual(
            await viaBatches(bytes, cuts, pieceBytes),
            expected,
            `${JSON.stringify(text)} cut at ${cuts}, pieces of ${pieceBytes ?? 'default'} bytes`,
          );
        }
      }
    }
  });
});

describe('lineBatches on a large input', () => {
  it('gives the lines of a 3 MB log read in 1 MB reads as readline does', async () => {
    const lines: string[] = [];
    for (let i = 0, chars = 0; chars < 3_000_000; i++, chars += lines[lines.length - 1]!.length) {
      lines.push(`10.0.${i % 256}.${i % 7} - - "GET /page/${i}?q=${'ü'.repeat(i % 5)} HTTP/1.1" 200 ${i}`);
      // A line longer than a 48 KB piece now and then.
      if (i % 5000 === 4999) lines.push(`long ${'x'.repeat(70_000)}`);
    }
    const text = Buffer.from(`${lines.join('\r\n')}\n`);
    const cuts = [];
    for (let at = 1 << 20; at < text.length; at += 1 << 20) cuts.push(at);
    assert.deepEqual(await viaBatches(text, cuts), await viaReadline(text, cuts));
  });

  it('cuts a line with no end in sight to its first MB (and at most one read more), and goes on after it', async () => {
    const text = Buffer.from(`first\n${'y'.repeat(3 * MAX_LINE_BYTES)}\r\nafter\n`);
    const cuts = [];
    for (let at = 1 << 20; at < text.length; at += 1 << 20) cuts.push(at);
    const got = await viaBatches(text, cuts);
    assert.equal(got.length, 3);
    assert.equal(got[0], 'first');
    assert.ok(
      got[1]!.length <= MAX_LINE_BYTES + READ_BYTES && got[1]!.length > 16 * 1024,
      `${got[1]!.length}`,
    );
    assert.equal(got[2], 'after');
  });
});
