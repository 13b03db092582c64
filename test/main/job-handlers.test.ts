import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { withCache } from '../../src/cache/cached-pipeline-store.js';
import { createJobHandlers } from '../../src/main/job-handlers.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import { cleanupTemp, copyFixture } from '../helpers/project.js';

const context = (jobId: string) => ({ jobId, attempt: 1, signal: new AbortController().signal, progress: async () => undefined });

afterAll(cleanupTemp);

describe('job handlers', () => {
  it('crawl and fix-application jobs are idempotent: a retried job never duplicates issues or applies a fix twice', async () => {
    const db = await openPglite(null);
    await migrate(db);
    const tenants = createTenantStore(db);
    const pipeline = withCache(createPipelineStore(db), createMemoryCache());
    const handlers = createJobHandlers({ pipeline, tenants, webhookSecret: null, threads: 1 });
    const org = await tenants.ensureOrganization('acme', 'Acme');
    const dir = await copyFixture('sample-app');
    const project = await tenants.registerProject(org.id, dir, 'sample');
    const payload = { organizationId: org.id, projectId: project.id, apply: false, generateFixes: true };

    const first = await handlers['codebase-crawl'](payload, context('7'));
    const retried = await handlers['codebase-crawl'](payload, context('7'));
    expect(first).toMatchObject({ openIssues: { total: 9 } });
    expect(retried).toMatchObject({ openIssues: { total: 9 } });
    const [issues] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM code_roach_issues WHERE project_id = $1', [project.id]);
    expect(issues?.n).toBe(9);

    const ref = { organizationId: org.id, projectId: project.id };
    const [pending] = await pipeline.listFixes(ref, ['pending']);
    if (!pending) throw new Error('expected a queued fix');
    const file = path.join(dir, pending.filePath);
    const job = { organizationId: org.id, projectId: project.id, fixId: pending.id, action: 'apply' as const, actor: 'alice' };
    expect(await handlers['fix-application'](job, context('8'))).toEqual({ fixId: pending.id, status: 'applied', alreadyDone: false });
    const afterFirst = await readFile(file);
    expect(await handlers['fix-application'](job, context('8'))).toEqual({ fixId: pending.id, status: 'applied', alreadyDone: true });
    expect(Buffer.compare(await readFile(file), afterFirst)).toBe(0);
    expect((await pipeline.getFix(ref, pending.id))?.decidedBy).toBe('alice');
    const audit = await tenants.auditPage(org.id, 10, null);
    expect(audit.items.map((entry) => `${entry.actor} ${entry.action} ${entry.outcome}`)).toEqual(['alice fix.apply success']);

    await expect(handlers['fix-application']({ ...job, organizationId: (await tenants.ensureOrganization('globex', 'Globex')).id }, context('9'))).rejects.toMatchObject({
      code: 'CR_ERR_NOT_FOUND',
    });
    await db.close();
  }, 60_000);
});
