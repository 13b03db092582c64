import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/environment.js';
import { startServer } from '../../src/main/run-serve.js';
import type { RunningServer } from '../../src/main/run-serve.js';
import { startWorker } from '../../src/main/run-worker.js';
import type { StartedWorker } from '../../src/main/run-worker.js';
import { bearer, expectMatrixCoversRoutes, expectRoleMatrix } from '../helpers/api-matrix.js';
import { seedOrganization } from '../helpers/api-tenants.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { cleanupTemp, run, tempDir } from '../helpers/project.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { checkCombos, expectModelMatchesApp, matrixExtensionCombos, seedModelWorld } from '../security/authz-model.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const available = (await postgresAvailable()) && (await redisAvailable());
const schema = uniqueSchema('roach_api');
const prefix = uniquePrefix('roach_api').slice(0, -1);
let server: RunningServer;
let workspace: string;
let env: ReturnType<typeof loadEnvironment>;
const secretKey = randomBytes(32).toString('base64');

/** One schema, one Redis prefix, the test's own secrets: what every server and worker of this file runs with. */
function envVars(): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: POSTGRES_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    ROACH_REDIS_PREFIX: prefix,
    JWT_SECRET: SECRET,
    ROACH_WORKSPACE_ROOTS: workspace,
    ROACH_OUTBOUND_ALLOW: '127.0.0.1/32',
    ROACH_SECRET_KEY: secretKey,
    ROACH_RATE_LIMIT: '100000',
    ROACH_WORKSPACE_DIR: path.join(workspace, 'clones'),
    ROACH_GIT_ALLOW_FILE: 'true',
    PORT: '0',
  };
}

beforeAll(async () => {
  if (!available) return;
  workspace = await tempDir('roach-svc-');
  env = loadEnvironment(envVars());
  server = await startServer(env, { logger: false });
}, 60_000);
afterAll(async () => {
  if (!available) return;
  await server.close();
  await dropSchema(schema);
  await cleanupPrefix(prefix);
  await cleanupTemp();
});

describe.skipIf(!available)('REST API in service mode (PostgreSQL + Redis + BullMQ)', () => {
  it('enforces the whole authorization matrix and hides other tenants behind 404', async () => {
    const ids = await seedOrganization(server.app, SECRET, workspace, 'svc-matrix');
    await expectMatrixCoversRoutes(server.app, ids);
    await expectRoleMatrix(server.app, SECRET, ids, ids.subjects, 'svc-stranger');
  }, 120_000);

  it('extends the matrix: foreign and stray ids in query and body, project-scoped keys, project-only roles', async () => {
    expectModelMatchesApp(server.app);
    const w = await seedModelWorld(server.app, workspace, 'svc-ext');
    const combos = matrixExtensionCombos(w);
    const { sent, failures } = await checkCombos(server.app, w, combos);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBe(2395);
  }, 300_000);

  it('keeps API keys hashed, drops a revoked key from the Redis cache at once, and audits mutations in PostgreSQL', async () => {
    const ids = await seedOrganization(server.app, SECRET, workspace, 'svc-keys');
    const owner = await bearer(SECRET, ids.subjects.owner);
    const created = (await server.app.inject({ method: 'POST', url: `/api/code-roach/organizations/${ids.orgId}/api-keys`, headers: owner, payload: { name: 'ci', role: 'member' } })).json();
    const key = { authorization: `Bearer ${created.key as string}` };
    // Twice: the second answer comes through the Redis key cache.
    for (let i = 0; i < 2; i++) expect((await server.app.inject({ url: `/api/code-roach/issues?projectId=${ids.projectId}`, headers: key })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'DELETE', url: `/api/code-roach/organizations/${ids.orgId}/api-keys/${created.id as string}`, headers: owner })).statusCode).toBe(204);
    expect((await server.app.inject({ url: `/api/code-roach/issues?projectId=${ids.projectId}`, headers: key })).statusCode).toBe(401);
    // The audit record is written once the response has gone out: wait for the last one.
    const wanted = ['POST /api/code-roach/organizations/:org/api-keys success', 'DELETE /api/code-roach/organizations/:org/api-keys/:id success', 'POST /api/code-roach/crawl success'];
    await waitFor(async () => {
      const audit = (await server.app.inject({ url: `/api/code-roach/organizations/${ids.orgId}/audit?limit=100`, headers: owner })).json();
      const actions = new Set(audit.items.map((i: { action: string; outcome: string }) => `${i.action} ${i.outcome}`));
      return wanted.every((action) => actions.has(action));
    }, 10_000, 'the audit entries');
  });

  it('rate-limits through Redis with 429 and Retry-After', async () => {
    const limited = await startServer(loadEnvironment({ ...envVars(), ROACH_RATE_LIMIT: '50' }), { logger: false });
    try {
      const headers = await bearer(SECRET, 'svc-rate');
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers, payload: { slug: `svc-rate-${i}`, name: 'r' } })).statusCode);
      // 50 reads a minute give 10 writes: the eleventh write is refused, counted in Redis.
      expect(codes.slice(0, 10).every((code) => code === 201)).toBe(true);
      const refused = await limited.app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers, payload: { slug: 'svc-rate-x', name: 'r' } });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('stores channel secrets sealed in PostgreSQL and answers masked', async () => {
    const ids = await seedOrganization(server.app, SECRET, workspace, 'svc-chan');
    const owner = await bearer(SECRET, ids.subjects.owner);
    const created = await server.app.inject({
      method: 'POST',
      url: `/api/code-roach/organizations/${ids.orgId}/channels`,
      headers: owner,
      payload: { name: 'ops', type: 'slack', url: 'http://127.0.0.1:9/services/T/B/slack-token' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().url).toBe('http://127.0.0.1:9/***');
    const refused = await server.app.inject({ method: 'POST', url: `/api/code-roach/organizations/${ids.orgId}/channels`, headers: owner, payload: { name: 'meta', type: 'webhook', url: 'http://169.254.169.254/latest' } });
    expect(refused.statusCode).toBe(422);
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT url, url_sealed FROM "${schema}".notification_channels WHERE organization_id = $1`, [ids.orgId]);
      expect(rows).toHaveLength(1);
      expect(rows[0].url).toBeNull();
      expect(rows[0].url_sealed).not.toContain('slack-token');
    } finally {
      await client.end();
    }
  });

  it('attributes issues per author through worker crawls (a folder and its git-URL clone, fetched first) and serves developer stats per organization', async () => {
    const repo = path.join(workspace, 'svc-dev-repo');
    await mkdir(repo, { recursive: true });
    const git = (name: string, ...args: string[]) => run('git', ['-c', `user.name=${name}`, '-c', `user.email=${name.toLowerCase()}@example.test`, ...args], { cwd: repo });
    await git('x', 'init', '-q', '-b', 'main');
    await writeFile(path.join(repo, 'a.js'), 'export function a() {\n  debugger;\n}\n');
    await git('Ann', 'add', '-A');
    await git('Ann', 'commit', '-q', '-m', 'a');
    await writeFile(path.join(repo, 'b.js'), 'export function b(x) {\n  return x === NaN;\n}\n');
    await git('Ben', 'add', '-A');
    await git('Ben', 'commit', '-q', '-m', 'b');

    const worker: StartedWorker = await startWorker(env, { queues: ['codebase-crawl'], concurrency: 1, ratePerMinute: 1000, graceMs: 5000, threads: 1, onEvent: () => undefined });
    try {
      const ids = await seedOrganization(server.app, SECRET, workspace, 'svc-dev', repo);
      const owner = await bearer(SECRET, ids.subjects.owner);
      await waitFor(async () => (await server.app.inject({ url: `/api/code-roach/status?jobId=${ids.jobId}`, headers: owner })).json().state === 'completed', 60_000, 'the crawl job');

      // The same repository as a project from a git URL: cloned by the API, fetched by the worker.
      const cloned = await server.app.inject({ method: 'POST', url: `/api/code-roach/organizations/${ids.orgId}/projects`, headers: owner, payload: { name: 'clone', gitUrl: `file://${repo}` } });
      expect(cloned.statusCode).toBe(201);
      await writeFile(path.join(repo, 'c.js'), 'export function c() {\n  debugger;\n}\n');
      await git('Ann', 'add', '-A');
      await git('Ann', 'commit', '-q', '-m', 'c');
      const job = (await server.app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: owner, payload: { projectId: cloned.json().id, generateFixes: false } })).json();
      await waitFor(async () => (await server.app.inject({ url: `/api/code-roach/status?jobId=${job.jobId}`, headers: owner })).json().state === 'completed', 60_000, 'the clone crawl');
      const cloneStats = (await server.app.inject({ url: `/api/code-roach/developer/stats?projectId=${cloned.json().id}`, headers: owner })).json();
      // c.js exists only upstream after the clone: the worker fetched it before crawling.
      expect(cloneStats.authors).toContainEqual(expect.objectContaining({ author: 'ann@example.test', introduced: 2 }));
      expect(cloneStats.authors).toContainEqual(expect.objectContaining({ author: 'ben@example.test', introduced: 1 }));
      const stats = (await server.app.inject({ url: `/api/code-roach/developer/stats?organizationId=${ids.orgId}`, headers: await bearer(SECRET, ids.subjects.viewer) })).json();
      expect(stats.attribution).toBe('available');
      expect(stats.authors).toEqual(
        // Across the organization: both projects (the folder, crawled before c.js, and its clone).
        expect.arrayContaining([expect.objectContaining({ author: 'ann@example.test', introduced: 3 }), expect.objectContaining({ author: 'ben@example.test', introduced: 2 })]),
      );
      const stranger = await server.app.inject({ url: `/api/code-roach/developer/stats?organizationId=${ids.orgId}`, headers: await bearer(SECRET, 'svc-dev-stranger') });
      expect(stranger.statusCode).toBe(404);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
