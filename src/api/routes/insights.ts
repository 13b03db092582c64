import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../context.js';
import { limit, uuid } from '../schemas.js';

const DAY_MS = 86_400_000;

export function insightRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/code-roach/analytics',
      {
        schema: {
          querystring: z.object({
            projectId: uuid,
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
          }),
        },
      },
      async (request) => {
        const to = request.query.to ?? new Date(Date.now() + 60_000).toISOString();
        const from = request.query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
        const ref = { organizationId: request.scope?.organizationId as string, projectId: request.query.projectId };
        // Calibration covers every decided fix in the project's learning scope, not only this time range:
        // it is what the confidence scorer uses now.
        return { from, to, ...(await deps.tenants.projectAnalytics(ref, { from, to })), calibration: await deps.pipeline.calibration(ref) };
      },
    );

    app.get('/api/code-roach/file-health', { schema: { querystring: z.object({ projectId: uuid, limit }) } }, async (request) => {
      const ref = { organizationId: request.scope?.organizationId as string, projectId: request.query.projectId };
      return { items: await deps.tenants.latestFileHealth(ref, request.query.limit) };
    });

    app.get('/api/code-roach/organizations/:org/patterns', { schema: { params: z.object({ org: uuid }), querystring: z.object({ limit }) } }, async (request) => ({
      items: await deps.tenants.patterns(request.params.org, request.query.limit),
    }));
  };
}
