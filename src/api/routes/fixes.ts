import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import { dedupeKeys, tenantJobId } from '../../queue/dedupe-keys.js';
import { actorOf } from '../access.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { text, uuid } from '../schemas.js';
import { authorizedProject } from './authorized-project.js';
import { fix } from './fix-schema.js';

/** Decisions on a fix (apply, reject, rollback): queued for a worker, which has the files. */
export function fixRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/code-roach/fix',
      {
        config: access.project('fix:decide', 'body'),
        schema: {
          body: z.strictObject({ projectId: uuid, fixId: uuid, action: z.enum(['apply', 'reject', 'rollback']), reason: text().max(2000).optional() }),
          response: { 202: z.object({ kind: z.string(), jobId: z.string(), fix }) },
        },
      },
      async (request, reply) => {
        const ref = authorizedProject(request.scope);
        const found = await deps.pipeline.getFix(ref, request.body.fixId);
        if (!found) throw new RoachError('CR_ERR_FIX_NOT_FOUND', 'No fix with that id in this project.');
        const job = await deps.queue.enqueue(
          'fix-application',
          { ...ref, fixId: found.id, action: request.body.action, actor: actorOf(request.principal), ...(request.body.reason ? { reason: request.body.reason } : {}) },
          { dedupeKey: dedupeKeys.fixDecision(ref.organizationId, found.id, request.body.action), jobId: tenantJobId(ref.organizationId) },
        );
        // The decision runs on a worker (which has the files); the fix with its validation record comes back now.
        return reply.status(202).send({ kind: job.kind, jobId: job.id, fix: found });
      },
    );
  };
}
