import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import { PRIORITIES } from '../../domain/priority.js';
import { CATEGORIES, SEVERITIES } from '../../domain/severity.js';
import { isJobKind } from '../../queue/catalogue.js';
import type { JobInfo } from '../../queue/ports.js';
import { authorize, actorOf } from '../access.js';
import type { Principal } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { limit, uuid } from '../schemas.js';

const jobInfo = z.object({
  kind: z.string(),
  id: z.string(),
  state: z.string(),
  priority: z.string(),
  attemptsMade: z.number(),
  progress: z.unknown(),
  result: z.unknown(),
  failedReason: z.string().nullable(),
  enqueuedAt: z.number(),
  finishedAt: z.number().nullable(),
});

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export function workRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  /** The job, if the caller may see the project it works on; otherwise "not found". */
  async function visibleJob(principal: Principal | null, kind: string, jobId: string): Promise<JobInfo> {
    if (!isJobKind(kind)) throw new RoachError('CR_ERR_NOT_FOUND', 'No job with that id.');
    const job = await deps.queue.job(kind, jobId);
    const payload = job?.payload as { organizationId?: string; projectId?: string } | undefined;
    if (!job || !payload?.organizationId || !principal) throw new RoachError('CR_ERR_NOT_FOUND', 'No job with that id.');
    await authorize(deps.tenants, principal, payload.organizationId, 'project:read', payload.projectId ?? null);
    return job;
  }
  const withoutPayload = ({ payload: _payload, ...rest }: JobInfo) => rest;

  return async (app) => {
    app.get(
      '/api/code-roach/issues',
      {
        schema: {
          querystring: z.object({
            projectId: uuid,
            status: z.enum(['open', 'resolved']).optional(),
            severity: csv(SEVERITIES).optional(),
            category: z.enum(CATEGORIES).optional(),
            rule: z.string().max(200).optional(),
            file: z.string().max(4096).optional(),
            text: z.string().max(200).optional(),
            limit,
            cursor: z.string().max(500).optional(),
          }),
        },
      },
      async (request) => {
        const q = request.query;
        return deps.tenants.pageIssues(
          { organizationId: request.scope?.organizationId as string, projectId: q.projectId },
          { status: q.status, severities: q.severity, category: q.category, ruleId: q.rule, file: q.file, text: q.text, limit: q.limit, cursor: q.cursor ?? null },
        );
      },
    );

    app.post(
      '/api/code-roach/crawl',
      {
        schema: {
          body: z.strictObject({
            projectId: uuid,
            apply: z.boolean().default(false),
            generateFixes: z.boolean().default(true),
            threshold: z.number().min(0).max(1).optional(),
            priority: z.enum(PRIORITIES).optional(),
          }),
          response: { 202: z.object({ kind: z.string(), jobId: z.string(), state: z.string() }) },
        },
      },
      async (request, reply) => {
        const { projectId, priority, ...options } = request.body;
        const organizationId = request.scope?.organizationId as string;
        const job = await deps.queue.enqueue(
          'codebase-crawl',
          { organizationId, projectId, ...options, requestedBy: actorOf(request.principal) },
          { ...(priority ? { priority } : {}), dedupeKey: `project:${projectId}` },
        );
        const info = await deps.queue.job('codebase-crawl', job.id);
        return reply.status(202).send({ kind: job.kind, jobId: job.id, state: info?.state ?? 'waiting' });
      },
    );

    const jobQuery = z.object({ kind: z.string().default('codebase-crawl'), jobId: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/) });
    app.get('/api/code-roach/status', { schema: { querystring: jobQuery, response: { 200: jobInfo } } }, async (request) =>
      withoutPayload(await visibleJob(request.principal, request.query.kind, request.query.jobId)),
    );

    // Live progress as server-sent events until the job completes or fails.
    app.get('/api/code-roach/status/stream', { schema: { querystring: jobQuery } }, async (request, reply) => {
      let job = await visibleJob(request.principal, request.query.kind, request.query.jobId);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      let last = '';
      let closed = false;
      request.raw.on('close', () => {
        closed = true;
      });
      while (!closed) {
        const data = JSON.stringify(withoutPayload(job));
        if (data !== last) reply.raw.write(`event: ${job.state === 'completed' || job.state === 'failed' ? job.state : 'progress'}\ndata: ${data}\n\n`);
        last = data;
        if (job.state === 'completed' || job.state === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = (await deps.queue.job(job.kind, job.id)) ?? job;
      }
      reply.raw.end();
    });

    app.get('/api/code-roach/review', { schema: { querystring: z.object({ projectId: uuid }) } }, async (request) => {
      const ref = { organizationId: request.scope?.organizationId as string, projectId: request.query.projectId };
      const fixes = await deps.pipeline.listFixes(ref, ['pending']);
      return { items: fixes };
    });

    app.post(
      '/api/code-roach/fix',
      {
        schema: {
          body: z.strictObject({ projectId: uuid, fixId: uuid, action: z.enum(['apply', 'reject', 'rollback']), reason: z.string().max(2000).optional() }),
        },
      },
      async (request, reply) => {
        const ref = { organizationId: request.scope?.organizationId as string, projectId: request.body.projectId };
        const fix = await deps.pipeline.getFix(ref, request.body.fixId);
        if (!fix) throw new RoachError('CR_ERR_FIX_NOT_FOUND', 'No fix with that id in this project.');
        const job = await deps.queue.enqueue(
          'fix-application',
          { ...ref, fixId: fix.id, action: request.body.action, actor: actorOf(request.principal), ...(request.body.reason ? { reason: request.body.reason } : {}) },
          { dedupeKey: `fix:${fix.id}:${request.body.action}` },
        );
        // The decision runs on a worker (which has the files); the fix with its validation record comes back now.
        return reply.status(202).send({ kind: job.kind, jobId: job.id, fix });
      },
    );
  };
}
