import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import type { StoredFix } from '../../fixes/ports.js';
import { dedupeKeys, tenantJobId } from '../../queue/dedupe-keys.js';
import { actorOf } from '../access.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { decodeTimeCursor, encodeTimeCursor, text, timeCursor, uuid } from '../schemas.js';
import { authorizedProject } from './authorized-project.js';

/** Diffs in list answers are cut here (UTF-8 bytes); the fix's own route serves the whole diff. */
export const LIST_DIFF_BYTES = 8 * 1024;

const fix = z.object({
  id: uuid, issueId: uuid, crawlId: z.string().nullable(), ruleId: z.string(), patternFingerprint: z.string(), strategy: z.string(), safety: z.enum(['safe', 'unsafe']),
  edits: z.array(z.unknown()).readonly(), template: z.string().nullable(), diff: z.string(), confidence: z.number(),
  validation: z.array(z.object({ step: z.string(), name: z.string(), passed: z.boolean(), detail: z.string(), durationMs: z.number() })).readonly(),
  status: z.string(), statusReason: z.string().nullable(), createdAt: z.string(), decidedBy: z.string().nullable(),
  filePaths: z.array(z.string()).readonly(), issueFingerprint: z.string(), filePath: z.string(), line: z.number(), severity: z.string(), message: z.string(),
});
const listedFix = fix.extend({
  diffTruncated: z.boolean(),
  /** Size of the whole diff in UTF-8 bytes. */
  diffBytes: z.number(),
  /** Where the whole fix (diff included) is served. */
  diffUrl: z.string(),
});

/** The diff cut to `max` UTF-8 bytes on a character boundary. */
export function truncateUtf8(value: string, max: number): { text: string; bytes: number; truncated: boolean } {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes <= max) return { text: value, bytes, truncated: false };
  let cut = Buffer.from(value, 'utf8').subarray(0, max).toString('utf8');
  // A multi-byte character cut in half decodes as U+FFFD: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return { text: cut, bytes, truncated: true };
}

export function reviewRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const listed = (item: StoredFix, projectId: string) => {
    const diff = truncateUtf8(item.diff, LIST_DIFF_BYTES);
    return { ...item, diff: diff.text, diffTruncated: diff.truncated, diffBytes: diff.bytes, diffUrl: `/api/code-roach/review/${item.id}?projectId=${projectId}` };
  };

  return async (app) => {
    app.get(
      '/api/code-roach/review',
      {
        config: access.project('project:read', 'query'),
        schema: {
          querystring: z.object({ projectId: uuid, limit: z.coerce.number().int().min(1).max(100).default(50), cursor: timeCursor.optional() }),
          response: { 200: z.object({ items: z.array(listedFix), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const ref = authorizedProject(request.scope);
        const after = request.query.cursor ? decodeTimeCursor(request.query.cursor) : null;
        const page = await deps.tenants.pageFixes(ref, ['pending'], { limit: request.query.limit, after });
        return { items: page.items.map((item) => listed(item, ref.projectId)), nextCursor: page.next ? encodeTimeCursor(page.next.createdAt, page.next.id) : null };
      },
    );

    app.get(
      '/api/code-roach/review/:fixId',
      { config: access.project('project:read', 'query'), schema: { params: z.object({ fixId: uuid }), querystring: z.object({ projectId: uuid }), response: { 200: fix } } },
      async (request) => {
        const found = await deps.pipeline.getFix(authorizedProject(request.scope), request.params.fixId);
        if (!found || found.id !== request.params.fixId) throw new RoachError('CR_ERR_FIX_NOT_FOUND', 'No fix with that id in this project.');
        return found;
      },
    );

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
