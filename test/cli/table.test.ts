// What `footfall query` prints: aligned tables, CSV a spreadsheet cannot run, tracked text
// that cannot steer a terminal.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { csvCell, formatCsv, formatTable, printable } from '../../src/cli/table.js';

it('CSV cells starting with = + - @ tab or CR are prefixed with an apostrophe; quotes, commas and newlines are quoted', () => {
  for (const lead of ['=', '+', '-', '@', '\t', '\r'])
    assert.equal(csvCell(`${lead}SUM(A1)`).replace(/^"|"$/g, '')[0], "'");
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell('/blog'), '/blog');
  assert.equal(formatCsv(['page', 'visitors'], [['=1+1', '3']]), "page,visitors\n'=1+1,3");
});

it('tables align text left and numbers right', () => {
  assert.equal(
    formatTable(
      ['page', 'visitors'],
      [
        ['/', '12'],
        ['/about', '3'],
      ],
    ),
    'page    visitors\n------  --------\n/             12\n/about         3',
  );
});

it('control characters and bidi overrides in tracked text are replaced', () => {
  assert.equal(printable('/a\u001b[2J\u202eb\u0007'), '/a\uFFFD[2J\uFFFDb\uFFFD');
  assert.equal(printable('/ordinary-path'), '/ordinary-path');
});
