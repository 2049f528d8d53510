// The lines appended to a growing file (`footfall import logs --follow`), from its end at the
// start, until the signal stops it: at the end of the file it waits and looks again; a file
// that was rotated (another inode at the path) or truncated is read again from its start.
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 250;
/** A "line" this long without a newline is handed on as it is (the import skips it as too long). */
const MAX_PENDING_CHARS = 64 * 1024;

export async function* followLines(file: string, signal: AbortSignal | undefined): AsyncGenerator<string> {
  let handle = await open(file, 'r');
  let { ino, size: pos } = await handle.stat();
  let decoder = new StringDecoder('utf8');
  let pending = '';
  const buf = Buffer.alloc(64 * 1024);
  try {
    while (!signal?.aborted) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        pending += decoder.write(buf.subarray(0, bytesRead));
        let nl = pending.indexOf('\n');
        while (nl !== -1) {
          yield pending.slice(0, nl).replace(/\r$/, '');
          pending = pending.slice(nl + 1);
          nl = pending.indexOf('\n');
        }
        if (pending.length > MAX_PENDING_CHARS) {
          yield pending;
          pending = '';
        }
        continue;
      }
      const now = await stat(file).catch(() => undefined);
      if (now && (now.ino !== ino || now.size < pos)) {
        // Rotated or truncated: what was left without a newline was the old file's last line.
        if (pending !== '') yield pending;
        pending = '';
        await handle.close();
        handle = await open(file, 'r');
        ({ ino } = await handle.stat());
        pos = 0;
        decoder = new StringDecoder('utf8');
        continue;
      }
      await sleep(POLL_MS, undefined, { signal }).catch(() => {});
    }
  } finally {
    await handle.close();
  }
}
