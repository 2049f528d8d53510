// Every error leaves as `{error: {code, message}}` with a status from the registry.
// Framework errors (body too large, wrong media type) are mapped onto Footfall codes.
import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, errorBody, FootfallError, footfallError } from '../errors.js';

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'FOOTFALL_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'FOOTFALL_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'FOOTFALL_ERR_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'FOOTFALL_ERR_INVALID_JSON',
};

export function toFootfallError(err: FastifyError | Error): FootfallError {
  if (err instanceof FootfallError) return err;
  const fe = err as FastifyError;
  const mapped = fe.code ? FRAMEWORK_CODES[fe.code] : undefined;
  if (mapped) return footfallError(mapped);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return footfallError('FOOTFALL_ERR_BAD_REQUEST');
  return footfallError('FOOTFALL_ERR_INTERNAL');
}

export function installErrorHandling(app: FastifyInstance, log: (msg: string) => void): void {
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const ffe = toFootfallError(err);
    if (ffe.status >= 500 && ffe.code === 'FOOTFALL_ERR_INTERNAL')
      log(`internal error: ${err.stack ?? err.message}`);
    if (ffe.retryAfter !== undefined) reply.header('retry-after', String(ffe.retryAfter));
    reply.code(ffe.status).header('cache-control', 'no-store').send(errorBody(ffe));
  });
  app.setNotFoundHandler((_req, reply) => {
    // A 404 may become a page tomorrow (a site added, a share link made): caches must not keep it.
    reply
      .code(404)
      .header('cache-control', 'no-store')
      .send(errorBody(footfallError('FOOTFALL_ERR_NOT_FOUND')));
  });
}
