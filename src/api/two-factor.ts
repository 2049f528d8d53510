// Two-factor sign-in over the API (src/auth/two-factor.ts): finishing a pending sign-in with a
// code, enrolling (from the account page, or during a sign-in when owners require it), turning
// it off, and the owners' "required for everyone". Every code check counts against the same
// limits as passwords (5 failures a minute per client address and per account).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PASSWORD_MAX_CHARS } from '../auth/passwords.js';
import { endPendingSignIn, pendingUser } from '../auth/pending-sign-in.js';
import {
  checkSecondFactor,
  confirmEnrolment,
  hasTwoFactor,
  isTwoFactorRequired,
  parseSecondFactor,
  setTwoFactorRequired,
  startEnrolment,
} from '../auth/two-factor.js';
import { userView } from '../auth/users.js';
import { footfallError } from '../errors.js';
import type { UserWithPassword } from '../store/accounts.js';
import { type AccountApiDeps, sessionUser, startSession } from './account-deps.js';
import { bodyFields, optionalBoolean, requiredString } from './input.js';

export async function twoFactorRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { accounts, limiter } = deps;

  const userById = async (id: number): Promise<UserWithPassword> => {
    const user = await accounts.getUser(id);
    if (!user) throw footfallError('FOOTFALL_ERR_SIGN_IN_EXPIRED');
    return user;
  };

  /** Runs a code check as an attempt on the account; a wrong code is FOOTFALL_ERR_WRONG_CODE. */
  const attempt = async <T>(
    req: FastifyRequest,
    email: string,
    check: () => Promise<T | undefined | false>,
  ) => {
    let result: T | undefined | false;
    await limiter.check('login', deps.clientIp(req), email, async () => {
      result = await check();
      return result !== undefined && result !== false;
    });
    if (result === undefined || result === false) throw footfallError('FOOTFALL_ERR_WRONG_CODE');
    return result as T;
  };

  const pendingFields = (req: FastifyRequest, extra: string[] = []) => {
    const fields = bodyFields(req, ['pending', ...extra]);
    return { fields, pending: requiredString(fields, 'pending', 100) };
  };

  // After the password: the code (or a recovery code) finishes the sign-in.
  app.post('/api/auth/login/code', async (req, reply) => {
    const { fields, pending } = pendingFields(req, ['code']);
    const factor = parseSecondFactor(fields.code);
    const user = await userById(await pendingUser(accounts, pending, 'code', deps.now()));
    await attempt(req, user.email, () => checkSecondFactor(accounts, user.id, factor, deps.now()));
    await endPendingSignIn(accounts, pending);
    await startSession(deps, req, reply, user);
    return { user: userView(user) };
  });

  // After the password, when owners require two-factor sign-in and the user has none yet.
  app.post('/api/auth/login/enrol', async (req) => {
    const { pending } = pendingFields(req);
    const user = await userById(await pendingUser(accounts, pending, 'enrol', deps.now()));
    return startEnrolment(accounts, user, deps.randomBytes);
  });

  app.post('/api/auth/login/enrol/confirm', async (req, reply) => {
    const { fields, pending } = pendingFields(req, ['code']);
    const factor = parseSecondFactor(fields.code);
    const user = await userById(await pendingUser(accounts, pending, 'enrol', deps.now()));
    const recoveryCodes = await attempt(req, user.email, () =>
      confirmEnrolment(accounts, user.id, factor, deps.now(), deps.randomBytes),
    );
    await endPendingSignIn(accounts, pending);
    await startSession(deps, req, reply, user);
    return { user: userView(user), recoveryCodes };
  });

  // Signed in: the account page's two-factor card.
  app.get('/api/auth/2fa', async (req) => {
    const id = await sessionUser(deps, req);
    const record = await accounts.getTwoFactor(id.userId);
    return {
      enabled: record.secret !== null,
      recoveryCodesLeft: record.recoveryCodesLeft,
      required: await isTwoFactorRequired(accounts),
    };
  });

  app.post('/api/auth/2fa/setup', async (req) => {
    const id = await sessionUser(deps, req);
    bodyFields(req, []);
    return startEnrolment(accounts, { id: id.userId, email: id.email }, deps.randomBytes);
  });

  app.post('/api/auth/2fa/enable', async (req) => {
    const id = await sessionUser(deps, req);
    const factor = parseSecondFactor(bodyFields(req, ['code']).code);
    const recoveryCodes = await attempt(req, id.email, () =>
      confirmEnrolment(accounts, id.userId, factor, deps.now(), deps.randomBytes),
    );
    return { recoveryCodes };
  });

  // Off again, with the password asked for (a session left open must not be enough).
  app.post('/api/auth/2fa/disable', async (req, reply) => {
    const id = await sessionUser(deps, req);
    const password = requiredString(bodyFields(req, ['password']), 'password', PASSWORD_MAX_CHARS * 4);
    if (await isTwoFactorRequired(accounts)) throw footfallError('FOOTFALL_ERR_TWO_FACTOR_REQUIRED');
    const user = await accounts.getUser(id.userId);
    const ok = await limiter.check('login', deps.clientIp(req), id.email, () =>
      deps.hasher.verify(password, user?.passwordHash),
    );
    if (!user || !ok) throw footfallError('FOOTFALL_ERR_WRONG_PASSWORD');
    await accounts.disableTwoFactor(user.id);
    reply.code(204);
  });

  // Required means required: sessions of people without a second factor end (the caller's own
  // excepted), so each of them signs in again and sets one up.
  app.post('/api/auth/2fa/required', async (req) => {
    const required = optionalBoolean(bodyFields(req, ['required']), 'required');
    if (required === undefined)
      throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'required must be true or false');
    await setTwoFactorRequired(accounts, required);
    let signedOut = 0;
    if (required) {
      const caller = await deps.access.identify(req);
      const keep = caller.kind === 'user' ? caller.sessionId : undefined;
      for (const user of await accounts.listUsers()) {
        if (await hasTwoFactor(accounts, user.id)) continue;
        const ending = (await accounts.listSessions(user.id, deps.now())).filter((x) => x.id !== keep);
        await accounts.removeOtherSessions(user.id, keep);
        signedOut += ending.length;
      }
    }
    return { required, signedOut };
  });
}
