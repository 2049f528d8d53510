// Which files were imported into a data directory, and how far: `<data>/imports.json`. An
// import records its progress after each batch the journal acknowledged, so a re-run of an
// interrupted import resumes after the last acknowledged row, and a finished file is not
// imported twice (rows are read in a fixed order: time, then id).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';

export interface ImportRecord {
  kind: string;
  file: string;
  sha256: string;
  site: string;
  /** Rows read and acknowledged (stored or deliberately skipped). */
  done: number;
  total: number;
  finished: boolean;
  updatedAt: string;
}

const FILE = 'imports.json';

export class ImportLog {
  private constructor(
    private readonly file: string,
    private records: ImportRecord[],
  ) {}

  static open(dataDir: string): ImportLog {
    const file = path.join(dataDir, FILE);
    const records = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ImportRecord[]) : [];
    return new ImportLog(file, records);
  }

  find(kind: string, sha256: string, site: string): ImportRecord | undefined {
    return this.records.find((r) => r.kind === kind && r.sha256 === sha256 && r.site === site);
  }

  /** Saves the record (replacing the one for the same file and site), atomically. */
  save(record: ImportRecord): void {
    this.records = [
      ...this.records.filter(
        (r) => !(r.kind === record.kind && r.sha256 === record.sha256 && r.site === record.site),
      ),
      { ...record, updatedAt: new Date().toISOString() },
    ];
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.records, null, 1)}\n`, { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, this.file);
  }
}
