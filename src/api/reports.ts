// Email report subscriptions of a site (its settings), "send now", and the one-click
// unsubscribe link every report carries (RFC 8058). The link is public: its signed token is
// the credential (jobs/unsubscribe.ts). A GET shows a page with a button rather than
// unsubscribing, since mail scanners open links; the button, and a mail client's one-click
// POST (body `List-Unsubscribe=One-Click`, form-encoded), unsubscribe.
import type { FastifyInstance } from 'fastify';
import type { Access } from '../auth/access.js';
import { normalizeEmail } from '../auth/users.js';
import { footfallError } from '../errors.js';
import { parseReportPeriod, type ReportDeps, sendReport } from '../jobs/reports.js';
import { bodyFields, domainParam, idParam, jsonApi } from './input.js';

export interface ReportRouteDeps extends ReportDeps {
  access: Access;
  now: () => number;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><main><h1>${title}</h1>${body}</main></body></html>`;

export async function reportRoutes(app: FastifyInstance, deps: ReportRouteDeps): Promise<void> {
  const { subscriptions } = deps;
  jsonApi(app);

  app.get('/api/sites/:domain/reports', async (req) => ({
    subscriptions: (await subscriptions.subscriptions(domainParam(req))).map(({ id, email, period }) => ({
      id,
      email,
      period,
    })),
    mailConfigured: deps.mailer !== undefined,
  }));

  app.post('/api/sites/:domain/reports', async (req, reply) => {
    const fields = bodyFields(req, ['email', 'period']);
    const email = normalizeEmail(fields.email);
    const period = parseReportPeriod(fields.period);
    const sub = await subscriptions.subscribe(domainParam(req), email, period, deps.now());
    if (!sub) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domainParam(req));
    reply.code(201);
    return { subscription: { id: sub.id, email: sub.email, period: sub.period } };
  });

  app.delete('/api/sites/:domain/reports/:id', async (req, reply) => {
    const id = idParam(req, 'id');
    const sub = await subscriptions.subscription(id);
    if (!sub || sub.domain !== domainParam(req)) throw footfallError('FOOTFALL_ERR_SUBSCRIPTION_NOT_FOUND');
    await subscriptions.unsubscribe(id);
    reply.code(204);
  });

  // "Send now": the latest finished period's report, to one address (the caller's by default).
  app.post('/api/sites/:domain/reports/send', async (req) => {
    const fields = bodyFields(req, ['period', 'to']);
    const period = parseReportPeriod(fields.period);
    const id = await deps.access.identify(req);
    const to =
      fields.to !== undefined
        ? normalizeEmail(fields.to)
        : id.kind === 'user'
          ? id.email
          : normalizeEmail(undefined);
    const range = await sendReport(deps, { domain: domainParam(req), period, to, now: deps.now() });
    return { sent: to, ...range };
  });

  app.register(async (scope) => {
    // The one-click POST is form-encoded (any body: it says nothing the token does not).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) =>
      done(null, body),
    );
    const subscriptionOf = async (query: unknown): Promise<number> => {
      const token = (query as { token?: unknown } | undefined)?.token;
      const id = typeof token === 'string' ? await deps.unsubscribe.verify(token) : undefined;
      if (id === undefined) throw footfallError('FOOTFALL_ERR_UNSUBSCRIBE_TOKEN');
      return id;
    };
    scope.get('/api/reports/unsubscribe', async (req, reply) => {
      await subscriptionOf(req.query);
      const token = encodeURIComponent(String((req.query as { token: string }).token));
      reply.type('text/html; charset=utf-8');
      return page(
        'Stop these reports?',
        `<form method="post" action="/api/reports/unsubscribe?token=${token}"><button type="submit">Unsubscribe</button></form>`,
      );
    });
    scope.post('/api/reports/unsubscribe', async (req, reply) => {
      const id = await subscriptionOf(req.query);
      // Already gone (a second click, or removed in settings): the answer is the same.
      await subscriptions.unsubscribe(id);
      reply.type('text/html; charset=utf-8');
      return page('Unsubscribed', '<p>You will not get these reports any more.</p>');
    });
  });
}
