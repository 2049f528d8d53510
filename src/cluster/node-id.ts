// A node's name among several sharing one PostgreSQL (--node-id): it keys the node's
// registration (its heartbeat, its number for session ids) and each job lease it holds, and it
// labels /metrics and /healthz. Given, or made once from the host name plus a random suffix and
// kept in the data directory, so a node restarted on the same directory is the same node
// (and two directories on one host are two nodes).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** The file in the data directory that keeps a derived node id. */
export const NODE_ID_FILE = 'node-id';

// A DNS label's alphabet plus dots and underscores: safe in a log line, a Prometheus label and
// a file name, and long enough for a host name with a suffix.
const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Why `text` is not a node id (one line with the fix), or undefined when it is one. */
export function nodeIdProblem(text: string, source: string): string | undefined {
  if (NODE_ID.test(text)) return undefined;
  return (
    `${source}="${text}" is not a node id: use 1 to 63 letters, digits, dots, dashes or underscores, ` +
    'starting with a letter or digit, e.g. node-1'
  );
}

/** The node id kept in `dataDir`, made (host name + 6 random hex digits) and kept the first time. */
export function storedNodeId(dataDir: string, random: (n: number) => Buffer = randomBytes): string {
  const file = path.join(dataDir, NODE_ID_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (nodeIdProblem(kept, file) === undefined) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const host = hostname()
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 48);
  const id = `${host || 'node'}-${random(3).toString('hex')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}
