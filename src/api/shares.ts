// Share links: a site admin makes a public, read-only link to one site's dashboard
// (<public-url>/share/<token>), optionally with a password and optionally embeddable in
// other sites' frames. A visitor of the link asks /api/share/info what it is, and unlocks a
// password-protected one with /api/share/unlock, which sets a cookie.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { shareTokenOf } from '../auth/access.js';
import { cookieOptions, shareCookieName } from '../auth/cookies.js';
import { PASSWORD_MAX_CHARS } from '../auth/passwords.js';
import { UNLOCK_SECONDS, unlockCookieValue } from '../auth/share-unlock.js';
import { looksLikeToken, newToken } from '../auth/tokens.js';
import { checkNewPassword } from '../auth/users.js';
import { footfallError } from '../errors.js';
import type { ShareLinkRecord } from '../store/accounts.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, domainParam, idParam, optionalBoolean, requiredString } from './input.js';

export async function shareRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { accounts } = deps;

  const view = (s: ShareLinkRecord) => ({
    id: s.id,
    url: `${deps.publicUrl}/share/${s.token}`,
    hasPassword: s.passwordHash !== null,
    embeddable: s.embeddable,
    segmentId: s.segmentId,
    createdAt: new Date(s.createdAt).toISOString(),
  });

  const findByToken = async (token: string | undefined): Promise<ShareLinkRecord> => {
    const share =
      token !== undefined && looksLikeToken(token) ? await accounts.findShareLink(token) : undefined;
    if (!share) throw footfallError('FOOTFALL_ERR_SHARE_NOT_FOUND');
    return share;
  };

  app.get('/api/sites/:domain/shares', async (req) => ({
    shares: (await accounts.listShareLinks(domainParam(req))).map(view),
  }));

  app.post('/api/sites/:domain/shares', async (req, reply) => {
    const fields = bodyFields(req, ['password', 'embeddable', 'segment_id']);
    // Limited to one site segment: its viewers see the dashboard through that segment only.
    const segment = fields.segment_id;
    if (
      segment !== undefined &&
      segment !== null &&
      (!Number.isSafeInteger(segment) || (segment as number) < 1)
    )
      throw footfallError('FOOTFALL_ERR_INVALID_FIELD', "segment_id: the id of one of the site's segments");
    const password =
      fields.password === undefined || fields.password === null ? null : checkNewPassword(fields.password);
    const embeddable = optionalBoolean(fields, 'embeddable') ?? false;
    const share = await accounts.addShareLink(
      {
        siteDomain: domainParam(req),
        token: newToken(deps.randomBytes),
        passwordHash: password === null ? null : await deps.hasher.hash(password),
        embeddable,
        segmentId: (segment as number | null | undefined) ?? null,
      },
      deps.now(),
    );
    reply.code(201);
    return { share: view(share) };
  });

  app.delete('/api/sites/:domain/shares/:id', async (req, reply) => {
    if (!(await accounts.removeShareLink(domainParam(req), idParam(req, 'id')))) {
      throw footfallError('FOOTFALL_ERR_SHARE_NOT_FOUND');
    }
    reply.code(204);
  });

  app.get('/api/share/info', async (req: FastifyRequest) => {
    const share = await findByToken(shareTokenOf(req));
    return {
      site: share.siteDomain,
      passwordRequired: share.passwordHash !== null,
      segmentId: share.segmentId,
    };
  });

  app.post('/api/share/unlock', async (req, reply) => {
    const fields = bodyFields(req, ['token', 'password']);
    const share = await findByToken(requiredString(fields, 'token', 100));
    const password = requiredString(fields, 'password', PASSWORD_MAX_CHARS * 4);
    if (share.passwordHash === null) return { site: share.siteDomain };
    const { passwordHash } = share;
    const ok = await deps.limiter.check('share', deps.clientIp(req), String(share.id), () =>
      deps.hasher.verify(password, passwordHash),
    );
    // Not SHARE_PASSWORD ("needs its password"): the visitor gave one, and it is wrong.
    if (!ok) throw footfallError('FOOTFALL_ERR_SHARE_WRONG_PASSWORD');
    reply.setCookie(
      shareCookieName(share.id),
      unlockCookieValue(share.id, share.passwordHash, deps.now()),
      cookieOptions(deps.isHttps(req), UNLOCK_SECONDS),
    );
    return { site: share.siteDomain };
  });
}
