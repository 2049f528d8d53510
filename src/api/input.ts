// Reading JSON API input: each route names the fields it takes; anything else, and every
// wrong type, is a 400 that names the field (a typo like `readonly` must not be ignored).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '../collect/limits.js';
import { parseJsonObject } from '../collect/plausible.js';
import { footfallError } from '../errors.js';
import { siteKey } from '../sites/domain.js';

export type Fields = Record<string, unknown>;

export function bodyFields(req: FastifyRequest, allowed: readonly string[]): Fields {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw footfallError('FOOTFALL_ERR_NOT_AN_OBJECT');
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw footfallError(
        'FOOTFALL_ERR_INVALID_FIELD',
        `unknown field "${key.slice(0, 40)}" (expected ${allowed.join(', ')})`,
      );
    }
  }
  return body as Fields;
}

export function requiredString(fields: Fields, name: string, maxChars: number): string {
  const v = fields[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > maxChars) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_FIELD',
      `${name} must be a string of 1 to ${maxChars} characters`,
    );
  }
  return v;
}

export function optionalBoolean(fields: Fields, name: string): boolean | undefined {
  const v = fields[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${name} must be true or false`);
  return v;
}

/** A numeric id from the path: a positive 32-bit integer. */
export function idParam(req: FastifyRequest, name: string): number {
  const v = (req.params as Record<string, string>)[name] ?? '';
  const id = /^[1-9]\d{0,9}$/.test(v) ? Number(v) : 0;
  if (id < 1 || id > 2 ** 31 - 1)
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${name} must be a number`);
  return id;
}

/** The site named in the path, spelled the way sites are stored. */
export function domainParam(req: FastifyRequest): string {
  return siteKey(((req.params as Record<string, string>).domain ?? '').trim());
}

/**
 * What every JSON API plugin does first: JSON only, checked like tracking bodies (UTF-8, an
 * object) with Footfall's error codes — a form post or text/plain body is refused as the wrong
 * media type — and answers never cached by browsers or proxies.
 */
export function jsonApi(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: LIMITS.bodyBytes },
    (_req, body, done) => {
      try {
        done(null, parseJsonObject(body as Buffer));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('cache-control', 'no-store');
    done();
  });
}
