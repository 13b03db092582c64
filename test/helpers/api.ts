import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';

/** The real API over an in-memory embedded store and in-process queue, configured by environment variables. */
export async function testApi(vars: NodeJS.ProcessEnv): Promise<{ app: FastifyInstance; db: Database }> {
  const db = await openPglite(null);
  await migrate(db);
  const app = await buildApp({
    tenants: createTenantStore(db),
    pipeline: createPipelineStore(db),
    queue: createInProcessQueue(),
    cache: createMemoryCache(),
    settings: loadEnvironment(vars).api,
    health: async () => ({ database: { ok: true } }),
  });
  return { app, db };
}
