import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import { PRIORITIES } from '../../domain/priority.js';
import { dedupeKeys, tenantJobId } from '../../queue/dedupe-keys.js';
import type { JobInfo } from '../../queue/ports.js';
import { actorOf } from '../access.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { text, uuid } from '../schemas.js';
import { authorizedProject } from './authorized-project.js';

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

/** Crawls of a project: queue one, follow its job's status (or stream its progress). */
export function crawlRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const withoutPayload = ({ payload: _payload, ...rest }: JobInfo) => rest;
  const jobOf = (job: JobInfo | null): JobInfo => {
    if (!job) throw new RoachError('CR_ERR_NOT_FOUND', 'No job with that id.');
    return job;
  };

  return async (app) => {
    app.post(
      '/api/code-roach/crawl',
      {
        config: access.project('crawl:run', 'body'),
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
        const { projectId: _named, priority, ...options } = request.body;
        // Exactly the project that was authorised, never a second id from elsewhere in the request.
        const { organizationId, projectId } = authorizedProject(request.scope);
        const job = await deps.queue.enqueue(
          'codebase-crawl',
          { organizationId, projectId, ...options, requestedBy: actorOf(request.principal) },
          { ...(priority ? { priority } : {}), dedupeKey: dedupeKeys.projectCrawl(organizationId, projectId), jobId: tenantJobId(organizationId) },
        );
        const info = await deps.queue.job('codebase-crawl', job.id);
        return reply.status(202).send({ kind: job.kind, jobId: job.id, state: info?.state ?? 'waiting' });
      },
    );

    const jobQuery = z.object({ kind: text().max(50).default('codebase-crawl'), jobId: text().regex(/^[A-Za-z0-9:_-]{1,100}$/) });
    app.get('/api/code-roach/status', { config: access.job('project:read'), schema: { querystring: jobQuery, response: { 200: jobInfo } } }, async (request) =>
      withoutPayload(jobOf(request.job)),
    );

    // Live progress as server-sent events until the job completes or fails.
    app.get(
      '/api/code-roach/status/stream',
      { config: access.job('project:read'), schema: { querystring: jobQuery, response: { 200: z.string().describe('text/event-stream: progress, completed and failed events, each a JobInfo') } } },
      async (request, reply) => {
        let job = jobOf(request.job);
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        let last = '';
        let closed = false;
        request.raw.on('close', () => {
          closed = true;
        });
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the 'close' listener while this loop awaits
        while (!closed) {
          const data = JSON.stringify(withoutPayload(job));
          if (data !== last) reply.raw.write(`event: ${job.state === 'completed' || job.state === 'failed' ? job.state : 'progress'}\ndata: ${data}\n\n`);
          last = data;
          if (job.state === 'completed' || job.state === 'failed') break;
          await new Promise((resolve) => setTimeout(resolve, 500));
          job = (await deps.queue.job(job.kind, job.id)) ?? job;
        }
        reply.raw.end();
      },
    );
  };
}
