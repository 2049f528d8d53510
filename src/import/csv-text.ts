// CSV text (RFC 4180: comma-separated, "quoted" cells with "" for a quote, CRLF or LF) → rows
// with the line each starts on, so a bad cell can be named by file and line. For files already
// in memory (a zip entry); large tables on disk go through table-file.ts instead.

export interface CsvRecord {
  /** The 1-based line the record starts on. */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function* csvRecords(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the header
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new CsvSyntaxError(start, 'a quoted cell is never closed');
          const part = text.slice(i, q);
          for (const ch of part) if (ch === '\n') line++;
          cell += part;
          i = q + 1;
          if (text[i] === '"') {
            cell += '"';
            i++;
          } else break;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvSyntaxError(line, 'text after a closing quote');
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
        cell = text.slice(i, j);
        if (cell.includes('"')) throw new CsvSyntaxError(line, 'a quote inside an unquoted cell');
        i = j;
      }
      cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // A blank line (one empty cell) is no record.
    if (!(cells.length === 1 && cells[0] === '')) yield { line: start, cells };
  }
}
