import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReliabilityTable } from '../../src/domain/calibration.js';
import { crawlWithStore } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { cleanupTemp, FIXTURES, tempDir } from '../helpers/project.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;
const as = async (subject: string) => ({
  authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))}`,
});

beforeAll(async () => {
  workspace = await tempDir('roach-calibration-');
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_ROOTS: workspace }));
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('GET /api/code-roach/analytics calibration', () => {
  it('answers the reliability table of the decided fixes, and other tenants a 404', async () => {
    const orgId = (await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await as('cal'), payload: { slug: 'cal', name: 'Cal' } })).json().id;
    const dir = path.join(workspace, 'app');
    await cp(path.join(FIXTURES, 'sample-app'), dir, { recursive: true });
    const created = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await as('cal'), payload: { name: 'app', path: dir } });
    expect(created.statusCode).toBe(201);
    const projectId: string = created.json().id;

    const url = `/api/code-roach/analytics?projectId=${projectId}`;
    expect((await app.inject({ url, headers: await as('cal') })).json().calibration).toEqual([]);

    const settings = await resolveCrawlSettings(dir, { apply: true, progress: false, dataDir: path.join(workspace, '.data') });
    const run = await crawlWithStore(createPipelineStore(db), settings, { color: false, project: { organizationId: orgId, projectId } });
    const applied = run.report.fixes.filter((f) => f.decision === 'applied');
    expect(applied.length).toBeGreaterThan(0);

    const answer = await app.inject({ url, headers: await as('cal') });
    expect(answer.statusCode).toBe(200);
    const calibration = answer.json().calibration as ReliabilityTable[];
    expect(calibration.map((t) => t.strategy)).toEqual(['rule-template']);
    const [table] = calibration;
    expect(table).toMatchObject({ strategy: 'rule-template', total: applied.length, applied: false });
    const bucket = table?.buckets.find((b) => b.count > 0);
    expect(bucket).toMatchObject({ count: applied.length, successes: applied.length, observedRate: 1 });
    expect(table?.ece).toBeCloseTo(1 - (bucket?.meanPredicted ?? 0), 4);

    await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await as('stranger'), payload: { slug: 'strangers', name: 'S' } });
    expect((await app.inject({ url, headers: await as('stranger') })).statusCode).toBe(404);
  });
});
