// One fetch wrapper for every API call: JSON in and out, the CSRF header on cookie-
// authenticated writes, the share token on a share page, and API errors as ApiError with
// the server's code. Only same-origin paths are requested, six at a time over HTTP/1.1
// (request-queue.ts).
import { createRequestQueue } from './request-queue.js';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface Api {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    /** 'high': sent before the other requests waiting for a connection (request-queue.ts). */
    priority?: RequestPriority,
  ): Promise<T>;
  /** Set once GET /api/auth/me has answered; sent as X-CSRF-Token on writes. */
  setCsrf(token: string | undefined): void;
  readonly shareToken: string | undefined;
}

export interface ApiOptions {
  /** On a share page: sent as X-Footfall-Share with every call. */
  shareToken?: string;
  /** Called on a 401 from anything but the auth endpoints themselves (session expired). */
  onUnauthorized?: (err: ApiError) => void;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || 'request failed';
  try {
    const body: unknown = await res.json();
    const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (err && typeof err.code === 'string') code = err.code;
    if (err && typeof err.message === 'string') message = err.message;
  } catch {
    // Not JSON (a proxy's error page): keep the status.
  }
  return new ApiError(res.status, code, message);
}

export function createApi(options: ApiOptions = {}): Api {
  let csrf: string | undefined;
  const queue = createRequestQueue();
  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    priority?: RequestPriority,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    if (options.shareToken) headers['x-footfall-share'] = options.shareToken;
    // The slot is held until the body is read: the connection is busy until then.
    const { res, text, error } = await queue.run(
      async () => {
        const res = await fetch(path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'same-origin',
          signal,
        });
        if (!res.ok) return { res, text: '', error: await errorFrom(res) };
        return { res, text: res.status === 204 ? '' : await res.text(), error: undefined };
      },
      priority ?? 'auto',
      signal,
    );
    if (error) {
      if (res.status === 401 && !path.startsWith('/api/auth/') && !path.startsWith('/api/share/'))
        options.onUnauthorized?.(error);
      throw error;
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: (path, signal) => call('GET', path, undefined, signal),
    send: (method, path, body, signal, priority) => call(method, path, body, signal, priority),
    setCsrf(token) {
      csrf = token;
    },
    shareToken: options.shareToken,
  };
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'something went wrong';
}
