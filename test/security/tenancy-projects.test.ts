import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/environment.js';
import { enqueueCrawl } from '../../src/main/run-enqueue.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { TenantStore } from '../../src/store/tenant-store.js';
import { testApi } from '../helpers/api.js';
import { bearer } from '../helpers/api-matrix.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';

// Issue 20 point 4: org B registered org A's project folder (and the workspace root itself), crawled it
// with apply and read its issues. A folder belongs to one organization only.
const pgReachable = await postgresAvailable();
const schema = uniqueSchema();
const backends = [
  { name: 'PGlite', open: () => openPglite(null), skip: false },
  { name: 'PostgreSQL', open: () => openPostgres({ connectionString: POSTGRES_URL, schema }), skip: !pgReachable },
];

describe.each(backends)('one organization per folder, in the store on $name', ({ open, skip }) => {
  let db: Database;
  let tenants: TenantStore;
  let a = '';
  let b = '';
  let c = '';

  beforeAll(async () => {
    if (skip) return;
    db = await open();
    await migrate(db);
    tenants = createTenantStore(db);
    a = (await tenants.ensureOrganization('owner-a', 'A')).id;
    b = (await tenants.ensureOrganization('intruder-b', 'B')).id;
    c = (await tenants.ensureOrganization('third-c', 'C')).id;
    await tenants.registerProject(a, '/srv/ws/alpha', 'alpha');
  });
  afterAll(async () => {
    if (skip) return;
    await db.close();
    if (db.kind === 'postgres') await dropSchema(schema);
  });

  it.skipIf(skip).each([
    ['the same folder', '/srv/ws/alpha'],
    ['a folder inside it', '/srv/ws/alpha/src'],
    ['a folder around it', '/srv/ws'],
    ['the file system root', '/'],
  ])('refuses another organization %s', async (_, folder) => {
    await expect(tenants.registerProject(b, folder, 'stolen')).rejects.toMatchObject({ code: 'CR_ERR_PROJECT_PATH_TAKEN' });
    expect(await tenants.projects(b)).toEqual([]);
  });

  it.skipIf(skip)('does not name the organization that holds the folder', async () => {
    const error = (await tenants.registerProject(b, '/srv/ws/alpha', 'stolen').then(() => null, (e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CR_ERR_PROJECT_PATH_TAKEN' });
    expect(error.message).not.toContain(a);
    expect(error.message).not.toContain('owner-a');
  });

  it.skipIf(skip)('lets the owner register again or nest, and others take folders that only share a prefix', async () => {
    const again = await tenants.registerProject(a, '/srv/ws/alpha', 'alpha');
    expect(again.organizationId).toBe(a);
    await expect(tenants.registerProject(a, '/srv/ws/alpha/packages/core', 'core')).resolves.toMatchObject({ organizationId: a });
    await expect(tenants.registerProject(b, '/srv/ws/alphabet', 'alphabet')).resolves.toMatchObject({ organizationId: b });
  });

  it.skipIf(skip)('lets exactly one of two organizations racing for a folder have it', async () => {
    const results = await Promise.allSettled([tenants.registerProject(b, '/srv/ws/race', 'race'), tenants.registerProject(c, '/srv/ws/race/inner', 'race')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CR_ERR_PROJECT_PATH_TAKEN' } });
  });

  it.skipIf(skip)('holds for the embedded crawl\'s local organization too', async () => {
    await expect(createPipelineStore(db).ensureProject('/srv/ws/alpha', 'alpha')).rejects.toMatchObject({ code: 'CR_ERR_PROJECT_PATH_TAKEN' });
  });
});

describe('registering folders through the API', () => {
  const SECRET = 'tenancy-projects-secret-0123456789abcdef';
  let app: FastifyInstance;
  let db: Database;
  let workspace = '';
  const orgs: Record<string, string> = {};
  const register = async (org: 'a' | 'b', folder: string) =>
    app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgs[org]}/projects`, headers: await bearer(SECRET, `${org}-owner`), payload: { name: path.basename(folder), path: folder } });

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'roach-ws-tenancy-'));
    await mkdir(path.join(workspace, 'alpha', 'src'), { recursive: true });
    await writeFile(path.join(workspace, 'alpha', 'src', 'index.js'), 'eval(x);\n');
    await symlink(path.join(workspace, 'alpha'), path.join(workspace, 'alias'));
    ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_ROOTS: workspace }));
    for (const org of ['a', 'b'] as const) {
      const created = await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await bearer(SECRET, `${org}-owner`), payload: { slug: `tenancy-${org}`, name: org } });
      orgs[org] = created.json().id as string;
    }
    expect((await register('a', path.join(workspace, 'alpha'))).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it.each([
    ['its folder', 'alpha'],
    ['a folder inside it', 'alpha/src'],
    ['its folder through a link', 'alias'],
  ])("refuses another organization's project: %s", async (_, relative) => {
    const answer = await register('b', path.join(workspace, relative));
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error.code).toBe('CR_ERR_PROJECT_PATH_TAKEN');
  });

  it('refuses the workspace root itself and a folder holding it', async () => {
    for (const folder of [workspace, path.dirname(workspace)]) {
      const answer = await register('b', folder);
      expect(answer.statusCode).toBe(403);
      expect(answer.json().error.code).toBe('CR_ERR_FORBIDDEN');
    }
  });

  // Issue 20 point 11: a regular file was accepted as a project path.
  it('refuses a regular file as a project', async () => {
    const answer = await register('a', path.join(workspace, 'alpha', 'src', 'index.js'));
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toMatchObject({ code: 'CR_ERR_NOT_A_DIRECTORY', message: expect.stringMatching(/not a folder/) });
  });
});

describe('registering folders from the CLI (roach enqueue)', () => {
  it('refuses a regular file as a project', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roach-enqueue-file-'));
    try {
      const file = path.join(dir, 'index.js');
      await writeFile(file, 'eval(x);\n');
      const env = loadEnvironment({ ROACH_DATA_DIR: path.join(dir, '.roach') });
      const request = { kind: 'analysis' as const, project: file, apply: false, generateFixes: false, requestedBy: 'test' };
      await expect(enqueueCrawl(env, request)).rejects.toMatchObject({ code: 'CR_ERR_NOT_A_DIRECTORY' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
