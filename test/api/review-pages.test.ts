import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { crawlWithStore } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { bearer } from '../helpers/api-matrix.js';
import { cleanupTemp, FIXTURES, tempDir } from '../helpers/project.js';

/** Issue 11 point 5: bounded answers — /review paged like /issues, diffs cut in lists, a response schema on every route. */
const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;
const owner = () => bearer(SECRET, 'review-owner');

beforeAll(async () => {
  workspace = await tempDir('roach-review-');
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_ROOTS: workspace }));
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('GET /api/code-roach/review', () => {
  it('pages the pending fixes by cursor, cuts long diffs in the list and serves the whole diff from the fix\'s own route', async () => {
    const orgId = (await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await owner(), payload: { slug: 'review', name: 'Review' } })).json().id as string;
    const dir = path.join(workspace, 'app');
    await cp(path.join(FIXTURES, 'sample-app'), dir, { recursive: true });
    const projectId = (await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await owner(), payload: { name: 'app', path: dir } })).json().id as string;
    const settings = await resolveCrawlSettings(dir, { apply: false, progress: false, dataDir: path.join(workspace, '.data') });
    await crawlWithStore(createPipelineStore(db), settings, { color: false, project: { organizationId: orgId, projectId } });
    const pending = await createPipelineStore(db).listFixes({ organizationId: orgId, projectId }, ['pending']);
    expect(pending.length).toBeGreaterThanOrEqual(3);

    // A diff of 20,000 UTF-8 bytes (two per character).
    const long = 'é'.repeat(10_000);
    const target = pending[0]?.id as string;
    await db.query('UPDATE fixes SET diff = $1 WHERE id = $2', [long, target]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await app.inject({ url: `/api/code-roach/review?projectId=${projectId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: await owner() });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: { id: string; diff: string; diffTruncated: boolean; diffBytes: number; diffUrl: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        seen.push(item.id);
        expect(Buffer.byteLength(item.diff, 'utf8')).toBeLessThanOrEqual(8 * 1024);
        if (item.id === target) {
          expect(item).toMatchObject({ diffTruncated: true, diffBytes: 20_000 });
          expect(long.startsWith(item.diff)).toBe(true);
          const whole = await app.inject({ url: item.diffUrl, headers: await owner() });
          expect(whole.statusCode).toBe(200);
          expect(whole.json().diff).toBe(long);
        } else {
          expect(item.diffTruncated).toBe(false);
        }
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(pages).toBe(Math.ceil(pending.length / 2));
    expect(seen.sort()).toEqual(pending.map((f) => f.id).sort());

    // The whole-fix route hides other projects' fixes like any other id.
    const other = await app.inject({ url: `/api/code-roach/review/${target}?projectId=00000000-0000-4000-8000-000000000000`, headers: await owner() });
    expect(other.statusCode).toBe(404);
    expect((await app.inject({ url: `/api/code-roach/review?projectId=${projectId}&limit=101`, headers: await owner() })).statusCode).toBe(400);
  }, 120_000);
});

describe('response schemas', () => {
  it('declares a 2xx response schema for every API route in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }>; description?: string }> }>> };
    const missing: string[] = [];
    let checked = 0;
    for (const [url, methods] of Object.entries(doc.paths)) {
      if (!url.startsWith('/api/')) continue;
      for (const [method, operation] of Object.entries(methods)) {
        checked += 1;
        const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        // 204 answers have no body: their declaration is the status itself.
        const described = success.some(([status, response]) => status === '204' || response.content?.['application/json']?.schema !== undefined);
        if (!described) missing.push(`${method.toUpperCase()} ${url}`);
      }
    }
    expect(checked).toBe(app.routeAccess.size - [...app.routeAccess.keys()].filter((route) => !route.includes(' /api/')).length);
    expect(missing).toEqual([]);
  });

  it('checks answers against their schema: a handler answering the wrong shape is a 500, not a leak', async () => {
    const { app: probe, db: probeDb } = await testApi({ JWT_SECRET: SECRET });
    try {
      probe.get('/api/code-roach/shape-probe', { config: { access: { scope: 'caller' } }, schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: 'yes', secret: 'x' }) as never);
      const response = await probe.inject({ url: '/api/code-roach/shape-probe', headers: await owner() });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('secret');
    } finally {
      await probe.close();
      await probeDb.close();
    }
  });
});
