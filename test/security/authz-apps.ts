import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { createSecretBox } from '../../src/domain/secret-box.js';
import { startServer } from '../../src/main/run-serve.js';
import { openService } from '../../src/main/service.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import { createDeveloperStore } from '../../src/store/developer-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { TenantStore } from '../../src/store/tenant-store.js';
import { bearer } from '../helpers/api-matrix.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';

export const SECRET = 'a-shared-secret-of-at-least-32-characters!';

export interface RunningApp {
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Where an attacker test runs: the embedded store with the in-process queue, and PostgreSQL + Redis + BullMQ. */
export interface AppBackend {
  readonly name: string;
  /** No PostgreSQL or Redis outside CI (under CI the availability checks throw instead). */
  readonly skip: boolean;
  /** `wrap` lets a test watch the tenant store the API uses (e.g. count key lookups). */
  start(vars: NodeJS.ProcessEnv, wrap?: (tenants: TenantStore) => TenantStore): Promise<RunningApp>;
}

const same = (tenants: TenantStore): TenantStore => tenants;

export async function appBackends(): Promise<AppBackend[]> {
  const service = (await postgresAvailable()) && (await redisAvailable());
  return [
    {
      name: 'embedded store',
      skip: false,
      async start(vars, wrap = same) {
        const db = await openPglite(null);
        await migrate(db);
        const env = loadEnvironment({ JWT_SECRET: SECRET, ROACH_RATE_LIMIT: '100000', ...vars });
        const app = await buildApp({
          tenants: wrap(createTenantStore(db, createSecretBox(randomBytes(32)))),
          pipeline: createPipelineStore(db),
          developers: createDeveloperStore(db),
          queue: createInProcessQueue(),
          cache: createMemoryCache(),
          settings: env.api,
          outbound: env.outbound,
          health: async () => ({ database: { ok: true } }),
        });
        return { app, close: async () => (await app.close(), await db.close()) };
      },
    },
    {
      name: 'PostgreSQL + Redis',
      skip: !service,
      async start(vars, wrap) {
        const schema = uniqueSchema('roach_authz');
        const prefix = uniquePrefix('roach_authz').slice(0, -1);
        const env = loadEnvironment({
          DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, REDIS_URL, ROACH_REDIS_PREFIX: prefix, JWT_SECRET: SECRET,
          ROACH_SECRET_KEY: randomBytes(32).toString('base64'), ROACH_RATE_LIMIT: '100000', PORT: '0', ...vars,
        });
        const cleanup = async () => {
          await dropSchema(schema);
          await cleanupPrefix(prefix);
        };
        if (!wrap) {
          const server = await startServer(env, { logger: false });
          return { app: server.app, close: async () => (await server.close(), await cleanup()) };
        }
        // The same composition as `roach serve` (without its in-process worker), with the tenant store wrapped.
        const service = await openService(env, { defaultDataDir: path.resolve('.roach') });
        const app = await buildApp({
          tenants: wrap(service.tenants), pipeline: service.pipeline, developers: createDeveloperStore(service.db), queue: service.queue, cache: service.cache,
          settings: env.api, outbound: env.outbound, health: async () => ({ database: { ok: true } }),
        });
        return { app, close: async () => (await app.close(), await service.close(), await cleanup()) };
      },
    },
  ];
}

export const as = (subject: string) => bearer(SECRET, subject);

/** Two tenants as the probe had them: org A holds projects PA and PC, org B holds PB. */
export interface World {
  readonly orgA: string;
  readonly orgB: string;
  readonly pa: string;
  readonly pc: string;
  readonly pb: string;
  /** Subjects: owners of A and B, an org admin and member of A, an org viewer of A who is admin of PA, a user with a role on PA only. */
  readonly ownerA: string;
  readonly ownerB: string;
  readonly adminA: string;
  readonly memberA: string;
  readonly viewerPaAdmin: string;
  readonly paOnly: string;
  /** An admin API key of A limited to PA, and an unscoped member key of A. */
  readonly paKey: { readonly id: string; readonly authorization: string };
  readonly memberKey: { readonly id: string; readonly authorization: string };
}

async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, subject: string, payload?: unknown, status?: number) {
  const response = await app.inject({ method, url, headers: await as(subject), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  if (status !== undefined) expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
  return response;
}

/** Seeds the probe's two organizations through the API itself. `prefix` keeps subjects and slugs unique. */
export async function seedWorld(app: FastifyInstance, workspace: string, prefix: string): Promise<World> {
  const s = (name: string) => `${prefix}-${name}`;
  const org = async (owner: string, slug: string) => (await call(app, 'POST', '/api/code-roach/organizations', owner, { slug, name: slug }, 201)).json().id as string;
  const orgA = await org(s('owner-a'), s('a'));
  const orgB = await org(s('owner-b'), s('b'));
  const project = async (orgId: string, owner: string, name: string) => {
    const dir = path.join(workspace, s(name));
    await mkdir(dir, { recursive: true });
    return (await call(app, 'POST', `/api/code-roach/organizations/${orgId}/projects`, owner, { name, path: dir }, 201)).json().id as string;
  };
  const pa = await project(orgA, s('owner-a'), 'pa');
  const pc = await project(orgA, s('owner-a'), 'pc');
  const pb = await project(orgB, s('owner-b'), 'pb');
  const a = `/api/code-roach/organizations/${orgA}`;
  for (const [who, role] of [['admin-a', 'admin'], ['member-a', 'member'], ['viewer-pa-admin', 'viewer']] as const) await call(app, 'PUT', `${a}/members/${s(who)}`, s('owner-a'), { role }, 200);
  for (const who of ['viewer-pa-admin', 'pa-only']) await call(app, 'PUT', `${a}/projects/${pa}/members/${s(who)}`, s('owner-a'), { role: 'admin' }, 200);
  const key = async (body: Record<string, unknown>) => {
    const created = (await call(app, 'POST', `${a}/api-keys`, s('owner-a'), body, 201)).json();
    return { id: created.id as string, authorization: `Bearer ${created.key as string}` };
  };
  return {
    orgA, orgB, pa, pc, pb,
    ownerA: s('owner-a'), ownerB: s('owner-b'), adminA: s('admin-a'), memberA: s('member-a'), viewerPaAdmin: s('viewer-pa-admin'), paOnly: s('pa-only'),
    paKey: await key({ name: 'pa-admin', role: 'admin', projectIds: [pa] }),
    memberKey: await key({ name: 'member', role: 'member' }),
  };
}
