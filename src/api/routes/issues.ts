import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../../domain/severity.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { limit, text, timeCursor, uuid } from '../schemas.js';
import { authorizedProject } from './authorized-project.js';

const issue = z.object({
  id: uuid, fingerprint: z.string(), ruleId: z.string(), filePath: z.string(), line: z.number(), severity: z.string(), message: z.string(),
  status: z.enum(['open', 'resolved']), reviewStatus: z.string(), category: z.string(), createdAt: z.string(),
});

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  text()
    .max(200)
    .transform((value) => value.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

/** The project's issues, filtered and paged by cursor. */
export function issueRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/code-roach/issues',
      {
        config: access.project('project:read', 'query'),
        schema: {
          querystring: z.object({
            projectId: uuid,
            status: z.enum(['open', 'resolved']).optional(),
            severity: csv(SEVERITIES).optional(),
            category: z.enum(CATEGORIES).optional(),
            rule: text().max(200).optional(),
            file: text().max(4096).optional(),
            text: text().max(200).optional(),
            limit,
            cursor: timeCursor.optional(),
          }),
          response: { 200: z.object({ items: z.array(issue).readonly(), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const q = request.query;
        return deps.tenants.pageIssues(authorizedProject(request.scope), {
          status: q.status, severities: q.severity, category: q.category, ruleId: q.rule, file: q.file, text: q.text, limit: q.limit, cursor: q.cursor ?? null,
        });
      },
    );
  };
}
