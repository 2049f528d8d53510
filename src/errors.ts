// Every error a client can see is declared here once: code → HTTP status + message.
// Routes throw `footfallError(code, detail)`; the error handler turns it into
// `{error: {code, message}}`. README's "Errors" table is checked against this list by a test.

export const ERRORS = {
  FOOTFALL_ERR_BODY_TOO_LARGE: { status: 413, message: 'request body is larger than 64 KB' },
  FOOTFALL_ERR_QUERY_TOO_LONG: { status: 414, message: 'query string is longer than 8 KB' },
  FOOTFALL_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'send the body as text/plain or application/json',
  },
  FOOTFALL_ERR_INVALID_JSON: { status: 400, message: 'body is not valid JSON' },
  FOOTFALL_ERR_NOT_AN_OBJECT: { status: 400, message: 'body must be a JSON object' },
  FOOTFALL_ERR_INVALID_ENCODING: {
    status: 400,
    message: 'text must be valid UTF-8 without NUL bytes',
  },
  FOOTFALL_ERR_MISSING_URL: { status: 400, message: 'url is required' },
  FOOTFALL_ERR_INVALID_URL: { status: 400, message: 'url must be an absolute http(s) URL' },
  FOOTFALL_ERR_URL_TOO_LONG: { status: 400, message: 'url is longer than 2,000 bytes' },
  FOOTFALL_ERR_INVALID_FIELD: { status: 400, message: 'a field has the wrong type or size' },
  FOOTFALL_ERR_INVALID_NAME: {
    status: 400,
    message: 'event name must be a non-empty string of at most 120 characters',
  },
  FOOTFALL_ERR_INVALID_PROPS: {
    status: 400,
    message: 'props must be an object of at most 30 scalar values (keys ≤ 300 bytes, values ≤ 2,000 bytes)',
  },
  FOOTFALL_ERR_INVALID_REVENUE: {
    status: 400,
    message:
      'revenue must be {amount, currency}: a number with at most 15 digits before the point, and an ISO 4217 code',
  },
  FOOTFALL_ERR_QUEUE_FULL: { status: 503, message: 'ingest queue is full, retry shortly' },
  FOOTFALL_ERR_JOURNAL_FULL: {
    status: 503,
    message: 'the ingest journal has reached --journal-max while the store catches up, retry later',
  },
  FOOTFALL_ERR_SHUTTING_DOWN: { status: 503, message: 'server is shutting down, retry shortly' },
  FOOTFALL_ERR_STORE_UNAVAILABLE: { status: 503, message: 'the event store is not writable' },
  FOOTFALL_ERR_ENGINE_UNAVAILABLE: {
    status: 503,
    message: 'the event engine (ClickHouse) cannot be reached, retry shortly',
  },
  FOOTFALL_ERR_METADATA_UNAVAILABLE: {
    status: 503,
    message: 'the metadata database (PostgreSQL) cannot be reached, retry shortly; tracking still answers',
  },
  FOOTFALL_ERR_NOT_FOUND: { status: 404, message: 'no such route' },
  FOOTFALL_ERR_BAD_REQUEST: { status: 400, message: 'bad request' },
  FOOTFALL_ERR_INTERNAL: { status: 500, message: 'internal error' },
  FOOTFALL_ERR_INVALID_DOMAIN: { status: 400, message: 'not a valid site domain' },
  FOOTFALL_ERR_INVALID_TIMEZONE: { status: 400, message: 'not an IANA time zone' },
  FOOTFALL_ERR_SITE_EXISTS: { status: 409, message: 'a site with this domain already exists' },
  FOOTFALL_ERR_SITE_NOT_FOUND: { status: 404, message: 'no site with this domain' },
  FOOTFALL_ERR_INVALID_QUERY: { status: 400, message: 'invalid query' },
  FOOTFALL_ERR_RANGE_TOO_LONG: {
    status: 400,
    message: 'the date range has more time buckets than one query may ask for',
  },
  FOOTFALL_ERR_QUERY_TIMEOUT: {
    status: 503,
    message: 'the query took too long: narrow the date range or the filters, or add a limit',
  },
  FOOTFALL_ERR_QUERIES_BUSY: { status: 503, message: 'too many queries are waiting, retry shortly' },
  FOOTFALL_ERR_TOO_MANY_QUERIES: {
    status: 429,
    message: 'too many of your queries are running or waiting: retry when some have finished',
  },
  FOOTFALL_ERR_UNAUTHORIZED: { status: 401, message: 'sign in, or send an API key or share link token' },
  FOOTFALL_ERR_FORBIDDEN: { status: 403, message: 'this identity may not do that' },
  FOOTFALL_ERR_LOGIN_FAILED: { status: 401, message: 'wrong email or password' },
  FOOTFALL_ERR_TOO_MANY_ATTEMPTS: { status: 429, message: 'too many failed attempts, retry later' },
  FOOTFALL_ERR_CSRF: {
    status: 403,
    message: 'cross-site request refused: send the X-CSRF-Token header from /api/auth/me',
  },
  FOOTFALL_ERR_SHARE_PASSWORD: { status: 401, message: 'this share link needs its password' },
  FOOTFALL_ERR_SHARE_WRONG_PASSWORD: { status: 401, message: 'wrong password for this share link' },
  FOOTFALL_ERR_SHARE_NOT_FOUND: { status: 404, message: 'no such share link (it may have been revoked)' },
  FOOTFALL_ERR_SETUP_TOKEN: { status: 401, message: 'the setup link is invalid or already used' },
  FOOTFALL_ERR_INVITE_TOKEN: {
    status: 401,
    message: 'the invitation link is invalid, expired or already used: ask for a new one',
  },
  FOOTFALL_ERR_RESET_TOKEN: {
    status: 401,
    message: 'the password reset link is invalid, expired or already used: ask for a new one',
  },
  FOOTFALL_ERR_WRONG_CODE: { status: 401, message: 'the code is wrong, expired or already used' },
  FOOTFALL_ERR_SIGN_IN_EXPIRED: {
    status: 401,
    message: 'this sign-in has expired or is finished: enter your password again',
  },
  FOOTFALL_ERR_TWO_FACTOR_ON: {
    status: 409,
    message: 'two-factor sign-in is already on: turn it off first to set up another device',
  },
  FOOTFALL_ERR_TWO_FACTOR_REQUIRED: {
    status: 409,
    message: 'an owner requires two-factor sign-in for everyone, so it cannot be turned off',
  },
  FOOTFALL_ERR_SETUP_DONE: { status: 409, message: 'setup is done: sign in instead' },
  FOOTFALL_ERR_WRONG_PASSWORD: { status: 400, message: 'the current password is wrong' },
  FOOTFALL_ERR_INVALID_EMAIL: { status: 400, message: 'not a valid email address' },
  FOOTFALL_ERR_WEAK_PASSWORD: { status: 400, message: 'a password needs 8 to 1,000 characters' },
  FOOTFALL_ERR_USER_EXISTS: { status: 409, message: 'a user with this email already exists' },
  FOOTFALL_ERR_USER_NOT_FOUND: { status: 404, message: 'no such user' },
  FOOTFALL_ERR_LAST_OWNER: { status: 409, message: 'the last owner cannot be removed' },
  FOOTFALL_ERR_MEMBER_NOT_FOUND: { status: 404, message: 'this user is not a member of the site' },
  FOOTFALL_ERR_KEY_NOT_FOUND: { status: 404, message: 'no such API key' },
  FOOTFALL_ERR_SESSION_NOT_FOUND: { status: 404, message: 'no such session' },
  FOOTFALL_ERR_INVALID_GOAL: { status: 400, message: 'invalid goal' },
  FOOTFALL_ERR_GOAL_NOT_FOUND: { status: 404, message: 'the site has no goal with this id' },
  FOOTFALL_ERR_INVALID_SEGMENT: { status: 400, message: 'invalid segment' },
  FOOTFALL_ERR_SEGMENT_NOT_FOUND: {
    status: 404,
    message: 'the site has no segment with this id that you may use',
  },
  FOOTFALL_ERR_INVALID_FUNNEL: { status: 400, message: 'invalid funnel' },
  FOOTFALL_ERR_FUNNEL_NOT_FOUND: { status: 404, message: 'the site has no funnel with this id' },
  FOOTFALL_ERR_MAIL_NOT_CONFIGURED: {
    status: 503,
    message: 'mail is not configured on this server: the operator sets --smtp-url and --mail-from',
  },
  FOOTFALL_ERR_MAIL_FAILED: { status: 502, message: 'the SMTP server did not take the mail' },
  FOOTFALL_ERR_INVALID_RETENTION: {
    status: 400,
    message: 'retention must be a whole number of months (1 to 1200, e.g. 25m) or forever',
  },
  FOOTFALL_ERR_SUBSCRIPTION_NOT_FOUND: {
    status: 404,
    message: 'the site has no report subscription with this id',
  },
  FOOTFALL_ERR_UNSUBSCRIBE_TOKEN: {
    status: 400,
    message: 'the unsubscribe link is invalid: open the whole link from the report mail',
  },
  FOOTFALL_ERR_INVALID_ALERT: { status: 400, message: 'invalid alert setting' },
  FOOTFALL_ERR_INVALID_WEBHOOK: { status: 400, message: 'the webhook URL is not allowed' },
  FOOTFALL_ERR_CONFIRM_MISMATCH: {
    status: 400,
    message: 'confirm must repeat the domain of the site to delete',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class FootfallError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, detail?: string, retryAfter?: number) {
    const base = ERRORS[code].message;
    super(detail ? `${base}: ${detail}` : base);
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryAfter = retryAfter;
  }
}

export function footfallError(code: ErrorCode, detail?: string, retryAfter?: number): FootfallError {
  return new FootfallError(code, detail, retryAfter);
}

export function errorBody(err: FootfallError): { error: { code: ErrorCode; message: string } } {
  return { error: { code: err.code, message: err.message } };
}
