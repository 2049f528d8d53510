// The journal's real file-system calls, watched and made to fail on demand: a disk that
// fills up after `spaceLeft` more bytes (a short write, then ENOSPC, as Linux does), and an
// fdatasync or ftruncate that fails. Every completed call is logged with the file its descriptor names.
import { readlinkSync } from 'node:fs';
import { type JournalFs, nodeJournalFs } from '../../src/ingest/journal-fs.js';

export interface FsCall {
  op: 'write' | 'fdatasync' | 'ftruncate';
  fd: number;
  /** The file behind the descriptor, from /proc/self/fd. */
  file: string;
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

export class FaultyJournalFs implements JournalFs {
  readonly calls: FsCall[] = [];
  /** Bytes the disk still takes; undefined = unlimited. */
  spaceLeft: number | undefined;
  /** ftruncate fails with EIO while set. */
  failTruncate = false;
  /** fdatasync fails with EIO while set. */
  failSync = false;
  /** A slow disk: fdatasync takes this long, so an answer that does not wait for it shows. */
  syncDelayMs = 0;

  private log(op: FsCall['op'], fd: number): void {
    this.calls.push({ op, fd, file: readlinkSync(`/proc/self/fd/${fd}`) });
  }

  async write(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    let n = length;
    if (this.spaceLeft !== undefined) {
      if (this.spaceLeft === 0) throw errno('ENOSPC', 'no space left on device, write');
      n = Math.min(length, this.spaceLeft);
      this.spaceLeft -= n;
    }
    const written = await nodeJournalFs.write(fd, buf, offset, n, position);
    this.log('write', fd);
    return written;
  }

  async fdatasync(fd: number): Promise<void> {
    if (this.failSync) throw errno('EIO', 'i/o error, fdatasync');
    if (this.syncDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.syncDelayMs));
    await nodeJournalFs.fdatasync(fd);
    this.log('fdatasync', fd);
  }

  async ftruncate(fd: number, length: number): Promise<void> {
    if (this.failTruncate) throw errno('EIO', 'i/o error, ftruncate');
    await nodeJournalFs.ftruncate(fd, length);
    this.log('ftruncate', fd);
  }
}
