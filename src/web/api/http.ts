// One fetch wrapper for every API call: JSON in and out, the CSRF header on cookie-
// authenticated writes, the share token on a share page, and API errors as ApiError with
// the server's code. Only same-origin paths are requested.

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
  async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    if (options.shareToken) headers['x-footfall-share'] = options.shareToken;
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
    if (!res.ok) {
      const err = await errorFrom(res);
      if (res.status === 401 && !path.startsWith('/api/auth/') && !path.startsWith('/api/share/'))
        options.onUnauthorized?.(err);
      throw err;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: (path, signal) => call('GET', path, undefined, signal),
    send: (method, path, body, signal) => call(method, path, body, signal),
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
