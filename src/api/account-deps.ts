// What the account and site management routes are given (built in src/server/serve.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Access, SESSION_TTL_MS } from '../auth/access.js';
import type { AttemptLimiter } from '../auth/attempt-limiter.js';
import { cookieOptions, SESSION_COOKIE } from '../auth/cookies.js';
import type { UserIdentity } from '../auth/identity.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { newToken, sha256 } from '../auth/tokens.js';
import { footfallError } from '../errors.js';
import type { Mailer } from '../mail/mailer.js';
import type { LogLevel } from '../server/log.js';
import type { AccountStore, UserWithPassword } from '../store/accounts.js';
import type { FunnelStore } from '../store/funnels.js';
import type { GoalStore } from '../store/goals.js';
import type { RetentionSettings } from '../store/jobs.js';
import type { SegmentStore } from '../store/segments.js';
import type { Site, SiteStore } from '../store/types.js';

const SESSION_TTL_SECONDS = SESSION_TTL_MS / 1000;

export interface AccountApiDeps {
  access: Access;
  accounts: AccountStore;
  sites: SiteStore;
  /** Each site's retention, and the oldest event it keeps (shown in its settings). */
  siteData: { jobs: RetentionSettings; firstEventMs: (site: Site) => Promise<number | undefined> };
  /** Each site's goals and saved funnels. */
  goals: GoalStore;
  funnels: FunnelStore;
  /** Each site's saved segments. */
  segments: SegmentStore;
  /** Reloads the tracking path's view of sites after a change. */
  refreshSites: () => Promise<void>;
  hasher: PasswordHasher;
  limiter: AttemptLimiter;
  now: () => number;
  randomBytes: (n: number) => Buffer;
  publicUrl: string;
  clientIp: (req: FastifyRequest) => string;
  /** Whether the browser reached us over https (sets Secure on cookies). */
  isHttps: (req: FastifyRequest) => boolean;
  /** Sends password reset links; undefined when mail is not configured (--smtp-url). */
  mailer?: Mailer;
  /** Failures of work done after the answer (a reset mail the SMTP server refused). */
  log?: (msg: string, level?: LogLevel) => void;
}

/** Starts a session for the user: a new random token in the cookie, its hash in the store. */
export async function startSession(
  deps: AccountApiDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  user: UserWithPassword | { id: number },
): Promise<void> {
  const token = newToken(deps.randomBytes);
  const now = deps.now();
  await deps.accounts.addSession(sha256(token), user.id, now, now + SESSION_TTL_MS);
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps.isHttps(req), SESSION_TTL_SECONDS));
}

export function clearSessionCookie(deps: AccountApiDeps, req: FastifyRequest, reply: FastifyReply): void {
  reply.setCookie(SESSION_COOKIE, '', cookieOptions(deps.isHttps(req), 0));
}

/** The identity of a route whose rule admits only signed-in people (checked by the access hooks). */
export async function sessionUser(deps: AccountApiDeps, req: FastifyRequest): Promise<UserIdentity> {
  const id = await deps.access.identify(req);
  if (id.kind !== 'user') throw footfallError('FOOTFALL_ERR_UNAUTHORIZED');
  return id;
}
