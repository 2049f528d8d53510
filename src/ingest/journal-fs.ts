// The file-system calls the journal's durability rests on, passed in so tests can watch
// them (a batch is answered only after fdatasync on its segment) and make them fail (a full
// disk) — a kill -9 cannot show either: the OS keeps what it already accepted.
import { fdatasync, ftruncate, write } from 'node:fs';
import { promisify } from 'node:util';

export interface JournalFs {
  /** Writes `length` bytes of `buf` from `offset` at file `position`; resolves with the count written. */
  write(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
}

const writeAsync = promisify(write);

export const nodeJournalFs: JournalFs = {
  write: async (fd, buf, offset, length, position) =>
    (await writeAsync(fd, buf, offset, length, position)).bytesWritten,
  fdatasync: promisify(fdatasync),
  ftruncate: promisify(ftruncate),
};
