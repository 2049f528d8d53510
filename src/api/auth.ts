// /api/auth: first-run setup, login, logout, the signed-in user, password change, sessions.
// Passwords are read from the body, hashed or compared, and dropped: never logged, never
// returned.
import type { FastifyInstance } from 'fastify';
import { SESSION_TTL_MS } from '../auth/access.js';
import { cookieOptions, SESSION_COOKIE } from '../auth/cookies.js';
import { acceptInvite } from '../auth/invites.js';
import { PASSWORD_MAX_CHARS } from '../auth/passwords.js';
import { looksLikeToken, sha256 } from '../auth/tokens.js';
import { checkNewPassword, normalizeEmail, userView } from '../auth/users.js';
import { footfallError } from '../errors.js';
import { type AccountApiDeps, clearSessionCookie, sessionUser, startSession } from './account-deps.js';
import { bodyFields, idParam, requiredString } from './input.js';
import { finishSignIn } from './sign-in.js';

export async function authRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { accounts, hasher, limiter } = deps;

  // `mail`: whether "forgot password" can work here (the login page says so up front).
  app.get('/api/auth/setup-status', async () => ({
    needsSetup: (await accounts.countUsers()) === 0,
    mail: deps.mailer !== undefined,
  }));

  app.post('/api/auth/setup', async (req, reply) => {
    const fields = bodyFields(req, ['token', 'email', 'password']);
    const token = requiredString(fields, 'token', 100);
    const email = normalizeEmail(fields.email);
    const password = checkNewPassword(fields.password);
    // Cheap checks before the password hash, so a wrong token costs nothing.
    if ((await accounts.countUsers()) > 0) throw footfallError('FOOTFALL_ERR_SETUP_DONE');
    if (!looksLikeToken(token) || !(await accounts.checkSetupToken(sha256(token)))) {
      throw footfallError('FOOTFALL_ERR_SETUP_TOKEN');
    }
    const passwordHash = await hasher.hash(password);
    const user = await accounts.addFirstOwner(
      sha256(token),
      { email, passwordHash, role: 'owner' },
      deps.now(),
    );
    if (user === 'setup-done') throw footfallError('FOOTFALL_ERR_SETUP_DONE');
    if (user === 'bad-token') throw footfallError('FOOTFALL_ERR_SETUP_TOKEN');
    await startSession(deps, req, reply, user);
    reply.code(201);
    return { user: userView(user) };
  });

  // An invited person chooses their password with the one-time link (auth/invites.ts).
  app.post('/api/auth/invite', async (req, reply) => {
    const fields = bodyFields(req, ['token', 'password']);
    const token = requiredString(fields, 'token', 100);
    const user = await acceptInvite(accounts, hasher, { token, password: fields.password }, deps.now());
    return finishSignIn(deps, req, reply, user);
  });

  app.post('/api/auth/login', async (req, reply) => {
    const fields = bodyFields(req, ['email', 'password']);
    const email = requiredString(fields, 'email', 254).trim().toLowerCase();
    const password = requiredString(fields, 'password', PASSWORD_MAX_CHARS * 4);
    const user = await accounts.findUserByEmail(email);
    // An unknown email is compared against a dummy hash: same answer, same time.
    const ok = await limiter.check('login', deps.clientIp(req), email, () =>
      hasher.verify(password, user?.passwordHash),
    );
    if (!user || !ok) throw footfallError('FOOTFALL_ERR_LOGIN_FAILED');
    return finishSignIn(deps, req, reply, user);
  });

  app.get('/api/auth/me', async (req, reply) => {
    const id = await sessionUser(deps, req);
    // The session slides with use; so does its cookie, renewed here as the dashboard loads.
    const token = req.server.parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
    if (token)
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps.isHttps(req), SESSION_TTL_MS / 1000));
    return { user: { id: id.userId, email: id.email, role: id.role }, csrf: id.csrf };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    const id = await sessionUser(deps, req);
    if (id.sessionId !== undefined) await accounts.removeSession(id.userId, id.sessionId);
    clearSessionCookie(deps, req, reply);
    reply.code(204);
  });

  app.post('/api/auth/password', async (req, reply) => {
    const id = await sessionUser(deps, req);
    const fields = bodyFields(req, ['current', 'password']);
    const current = requiredString(fields, 'current', PASSWORD_MAX_CHARS * 4);
    const password = checkNewPassword(fields.password);
    // Guessing the current password with a stolen session is guessing a login.
    const user = await accounts.getUser(id.userId);
    const ok = await limiter.check('login', deps.clientIp(req), id.email, () =>
      hasher.verify(current, user?.passwordHash),
    );
    if (!user || !ok) throw footfallError('FOOTFALL_ERR_WRONG_PASSWORD');
    await accounts.setPasswordHash(user.id, await hasher.hash(password));
    await accounts.removeOtherSessions(user.id, id.sessionId);
    reply.code(204);
  });

  app.get('/api/auth/sessions', async (req) => {
    const id = await sessionUser(deps, req);
    const sessions = await accounts.listSessions(id.userId, deps.now());
    return {
      sessions: sessions.map((s) => ({
        id: s.id,
        createdAt: new Date(s.createdAt).toISOString(),
        lastSeenAt: new Date(s.lastSeenAt).toISOString(),
        current: s.id === id.sessionId,
      })),
    };
  });

  app.delete('/api/auth/sessions/:id', async (req, reply) => {
    const id = await sessionUser(deps, req);
    const sessionId = idParam(req, 'id');
    if (!(await accounts.removeSession(id.userId, sessionId))) {
      throw footfallError('FOOTFALL_ERR_SESSION_NOT_FOUND');
    }
    if (sessionId === id.sessionId) clearSessionCookie(deps, req, reply);
    reply.code(204);
  });
}
