import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '../../src/main/job-handlers.js';
import { runCrawl } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const context = (jobId: string) => ({ jobId, attempt: 1, signal: new AbortController().signal, progress: async () => undefined });

// Issue 20 point 9, end to end: the crawl goes on past a file that overruns its budget, and a job
// whose project input is too big fails with a reason while the process carries on.
describe('limits in a whole crawl', () => {
  it('reports the overrunning file as skipped and analyzes the rest, even with maxFileSizeBytes raised', async () => {
    const dir = await tempDir('roach-crawl-limits-');
    await mkdir(path.join(dir, 'src'));
    for (let i = 0; i < 4; i++) await writeFile(path.join(dir, 'src', `ok${i}.js`), `export const v${i} = input === NaN;\n`);
    const rows = Array.from({ length: 30_000 }, (_, i) => `  { id: ${i}, name: "item${i}", value: compute(${i}, "x") },`);
    await writeFile(path.join(dir, 'src', 'huge.js'), `export const data = [\n${rows.join('\n')}\n];\n`);
    await writeFile(path.join(dir, '.roach.yml'), 'maxFileSizeBytes: 52428800\n');
    const settings = await resolveCrawlSettings(dir, { progress: false, fix: false });
    const { report } = await runCrawl(settings, { color: false, analysisLimits: { fileTimeoutMs: 3_000 } });
    expect(report.files.skipped).toEqual([expect.objectContaining({ path: 'src/huge.js', reason: 'analysis-timeout' })]);
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(['src/ok0.js', 'src/ok1.js', 'src/ok2.js', 'src/ok3.js']));
  });

  it('fails a crawl job with a coded reason on the probed 400,000-entry .roach.yml, and the process goes on', async () => {
    const db = await openPglite(null);
    try {
      await migrate(db);
      const tenants = createTenantStore(db);
      const handlers = createJobHandlers({ pipeline: createPipelineStore(db), tenants, webhookSecret: null, threads: 1 });
      const org = await tenants.ensureOrganization('limits', 'Limits');
      const dir = await tempDir('roach-job-limits-');
      await writeFile(path.join(dir, 'a.js'), 'if (x === NaN) throw new Error();\n');
      const lines = ['exclude:'];
      for (let i = 0; i < 400_000; i++) lines.push(`  - "generated/dir-${i}/**"`);
      await writeFile(path.join(dir, '.roach.yml'), lines.join('\n'));
      const project = await tenants.registerProject(org.id, dir, 'huge-config');
      const payload = { organizationId: org.id, projectId: project.id, apply: false, generateFixes: false };
      const heapBefore = process.memoryUsage().heapUsed;
      await expect(handlers['codebase-crawl'](payload, context('1'))).rejects.toMatchObject({ code: 'CR_ERR_CONFIG_INVALID', message: expect.stringMatching(/byte limit/) });
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
      // The same handlers go on with the next project.
      await writeFile(path.join(dir, '.roach.yml'), 'exclude: [generated/]\n');
      await expect(handlers['codebase-crawl'](payload, context('2'))).resolves.toMatchObject({ openIssues: { total: 1 } });
    } finally {
      await db.close();
    }
  });
});
