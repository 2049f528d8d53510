// Who may read a site's stats. Until accounts exist, the operator's FOOTFALL_ADMIN_KEY is the
// one key: `Authorization: Bearer <key>`, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { footfallError } from '../errors.js';

export interface Access {
  /** Resolves when the request may `need` the site; throws 401/403 otherwise. */
  requireSite(req: FastifyRequest, siteDomain: string, need: 'read' | 'write' | 'admin'): Promise<void>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export function adminKeyAccess(adminKey: string | undefined): Access {
  const expected = adminKey === undefined ? undefined : digest(adminKey);
  return {
    async requireSite(req) {
      const token = bearerToken(req);
      // Comparing digests keeps the comparison constant-time whatever the lengths.
      if (!expected || token === undefined || !timingSafeEqual(digest(token), expected)) {
        throw footfallError('FOOTFALL_ERR_UNAUTHORIZED');
      }
    },
  };
}
