import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { limit, uuid } from '../schemas.js';
import { authorizedProject } from './authorized-project.js';

const DAY_MS = 86_400_000;
const count = z.coerce.number();

const analytics = z.object({
  from: z.string(),
  to: z.string(),
  issues: z.array(z.object({ at: z.string(), crawlId: z.string().nullable(), bySeverity: z.record(z.string(), count), total: count })),
  fixes: z.array(z.object({ day: z.string(), status: z.string(), count })),
  health: z.array(z.object({ at: z.string(), crawlId: z.string().nullable(), mean: count, worst: count, files: count })),
  strategies: z.array(z.object({ strategy: z.string(), succeeded: count, failed: count, successRate: z.number().nullable() })),
  /** Reliability tables of the confidence scorer (see docs: calibration). */
  calibration: z.array(z.object({ strategy: z.string(), total: count, buckets: z.array(z.unknown()).readonly(), ece: z.number().nullable(), applied: z.boolean() })),
});
const fileHealth = z.object({ items: z.array(z.object({ filePath: z.string(), healthScore: count, issueCount: count, recordedAt: z.string() })) });
const patterns = z.object({
  items: z.array(
    z.object({ fingerprint: z.string(), ruleId: z.string(), occurrences: count, successes: count, failures: count, confidence: count, deprecated: z.boolean(), hasLearnedFix: z.boolean() }),
  ),
});

export function insightRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/code-roach/analytics',
      {
        config: access.project('project:read', 'query'),
        schema: {
          querystring: z.object({
            projectId: uuid,
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
          }),
          response: { 200: analytics },
        },
      },
      async (request) => {
        const to = request.query.to ?? new Date(Date.now() + 60_000).toISOString();
        const from = request.query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
        const ref = authorizedProject(request.scope);
        // Calibration covers every decided fix in the project's learning scope, not only this time range:
        // it is what the confidence scorer uses now.
        return { from, to, ...(await deps.tenants.projectAnalytics(ref, { from, to })), calibration: await deps.pipeline.calibration(ref) };
      },
    );

    app.get('/api/code-roach/file-health', { config: access.project('project:read', 'query'), schema: { querystring: z.object({ projectId: uuid, limit }), response: { 200: fileHealth } } }, async (request) => {
      const ref = authorizedProject(request.scope);
      return { items: await deps.tenants.latestFileHealth(ref, request.query.limit) };
    });

    app.get('/api/code-roach/organizations/:org/patterns', { config: access.organization('org:read'), schema: { params: z.object({ org: uuid }), querystring: z.object({ limit }), response: { 200: patterns } } }, async (request) => ({
      items: await deps.tenants.patterns(request.params.org, request.query.limit),
    }));
  };
}
