import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../context.js';

export function healthRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true }, config: { access: { scope: 'public' } } }, async () => ({ status: 'ok' }));
    // Ready when the database answers; a Redis outage is reported as degraded (the database still serves).
    app.get('/readyz', { schema: { hide: true }, config: { access: { scope: 'public' } } }, async (_request, reply) => {
      const health = await deps.health();
      return reply.status(health.database.ok ? 200 : 503).send({ status: health.database.ok ? 'ready' : 'unavailable', ...health });
    });
  };
}
