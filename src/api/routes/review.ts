import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import type { StoredFix } from '../../fixes/ports.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { decodeTimeCursor, encodeTimeCursor, timeCursor, uuid } from '../schemas.js';
import { authorizedProject } from './authorized-project.js';
import { fix } from './fix-schema.js';

/** Diffs in list answers are cut here (UTF-8 bytes); the fix's own route serves the whole diff. */
export const LIST_DIFF_BYTES = 8 * 1024;

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
  };
}
