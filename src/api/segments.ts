// /api/sites/<domain>/segments: saved segments (named filter sets), as Plausible has them.
// Everyone who may read the site lists and uses its site segments; a personal segment is its
// owner's alone. Saving or changing a personal segment takes a person (a session or their
// read-write key); a site segment takes write access to the site (Plausible: editors and up).
// A share link reads only (and, when limited to a segment, sees only that one).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Identity } from '../auth/identity.js';
import { footfallError } from '../errors.js';
import { usableBy } from '../segments/resolve.js';
import { parseSegmentInput, SEGMENT_FIELDS } from '../segments/segment-input.js';
import type { NewSegment, Segment } from '../store/segments.js';
import type { AccountApiDeps } from './account-deps.js';
import { bodyFields, domainParam, idParam } from './input.js';

const segmentView = (s: Segment) => ({
  id: s.id,
  name: s.name,
  type: s.type,
  filters: s.filters,
  ownerId: s.ownerId,
  createdAt: new Date(s.createdAt).toISOString(),
  updatedAt: new Date(s.updatedAt).toISOString(),
});

const userIdOf = (id: Identity): number | null => (id.kind === 'user' ? id.userId : null);

export async function segmentRoutes(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const { segments, access } = deps;
  const site = async (domain: string) => {
    if (!(await deps.accounts.siteExists(domain))) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    return domain;
  };

  /** Share links and read-only keys save nothing: refused before the body is even read. */
  const writer = async (req: FastifyRequest): Promise<Identity> => {
    const id = await access.identify(req);
    if (id.kind === 'share' || (id.kind === 'user' && id.readOnly))
      throw footfallError('FOOTFALL_ERR_FORBIDDEN', 'saving segments');
    return id;
  };

  /** Refuses what the asker may not save: a site segment takes write access, a personal one a person. */
  const mayWrite = async (req: FastifyRequest, domain: string, segment: Pick<NewSegment, 'type'>) => {
    const id = await writer(req);
    if (segment.type === 'site') await access.requireSite(req, domain, 'write');
    else if (id.kind !== 'user')
      throw footfallError(
        'FOOTFALL_ERR_INVALID_SEGMENT',
        'type: a personal segment belongs to a person; save it as "site"',
      );
    return id;
  };

  /** The segment when the asker may change it (its owner, or write access for a site segment). */
  const changeable = async (req: FastifyRequest, domain: string, segmentId: number): Promise<Segment> => {
    const id = await writer(req);
    const found = await segments.getSegment(domain, segmentId);
    if (!found || !usableBy(found, userIdOf(id)))
      throw footfallError('FOOTFALL_ERR_SEGMENT_NOT_FOUND', String(segmentId));
    await mayWrite(req, domain, found);
    return found;
  };

  app.get('/api/sites/:domain/segments', async (req) => {
    const domain = await site(domainParam(req));
    const id = await access.identify(req);
    let list = await segments.listSegments(domain, userIdOf(id));
    if (id.kind === 'share' && id.segmentId !== null) list = list.filter((s) => s.id === id.segmentId);
    return { segments: list.map(segmentView) };
  });

  app.post('/api/sites/:domain/segments', async (req, reply) => {
    const domain = await site(domainParam(req));
    await writer(req);
    const segment = parseSegmentInput(bodyFields(req, SEGMENT_FIELDS));
    const id = await mayWrite(req, domain, segment);
    const added = await segments.addSegment(domain, segment, userIdOf(id), deps.now());
    reply.code(201);
    return { segment: segmentView(added) };
  });

  // A PATCH names the fields that change; the segment is then checked whole. Whoever changes a
  // site segment becomes its owner (as in Plausible); a personal one stays its owner's.
  app.patch('/api/sites/:domain/segments/:id', async (req) => {
    const domain = await site(domainParam(req));
    const segmentId = idParam(req, 'id');
    const fields = bodyFields(req, SEGMENT_FIELDS);
    const old = await changeable(req, domain, segmentId);
    const segment = parseSegmentInput({ name: old.name, type: old.type, filters: old.filters, ...fields });
    // changeable() checked the asker may write the segment as it is; a new type is checked anew.
    const id = segment.type === old.type ? await access.identify(req) : await mayWrite(req, domain, segment);
    const updated = await segments.updateSegment(
      domain,
      segmentId,
      segment,
      userIdOf(id) ?? old.ownerId,
      deps.now(),
    );
    if (!updated) throw footfallError('FOOTFALL_ERR_SEGMENT_NOT_FOUND', String(segmentId));
    return { segment: segmentView(updated) };
  });

  app.delete('/api/sites/:domain/segments/:id', async (req, reply) => {
    const domain = await site(domainParam(req));
    const segmentId = idParam(req, 'id');
    await changeable(req, domain, segmentId);
    if (!(await segments.removeSegment(domain, segmentId)))
      throw footfallError('FOOTFALL_ERR_SEGMENT_NOT_FOUND', String(segmentId));
    reply.code(204);
  });
}
