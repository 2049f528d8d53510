// Talks to a running server over its control socket. `undefined` means no server is
// listening there, so the caller may open the data directory itself.
import { type IncomingMessage, request } from 'node:http';
import { controlSocketPath } from '../server/control.js';

export interface ControlResponse {
  status: number;
  body: unknown;
}

export function controlRequest(
  dataDir: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<ControlResponse | undefined> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return controlSend(dataDir, method, urlPath, payload, 'application/json');
}

/** A request with a body of any type (an import's NDJSON batch, a zip); the answer parsed as JSON. */
export function controlSend(
  dataDir: string,
  method: string,
  urlPath: string,
  payload: string | Buffer | undefined,
  contentType: string,
): Promise<ControlResponse | undefined> {
  const socketPath = controlSocketPath(dataDir);
  if (!socketPath) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path: urlPath,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(undefined);
      else reject(err);
    });
    req.end(payload);
  });
}

/**
 * A request whose answer is streamed (an export, a backup): resolves with the response once its headers
 * arrive, or undefined when no server is listening.
 */
export function controlStream(
  dataDir: string,
  urlPath: string,
  method = 'GET',
): Promise<IncomingMessage | undefined> {
  const socketPath = controlSocketPath(dataDir);
  if (!socketPath) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: urlPath }, resolve);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(undefined);
      else reject(err);
    });
    req.end();
  });
}

/** Whether a server holds the data directory (its control socket answers). */
export async function serverRuns(dir: string): Promise<boolean> {
  return (await controlRequest(dir, 'GET', '/healthz')) !== undefined;
}
