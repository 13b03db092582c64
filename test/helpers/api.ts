import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { createMetrics } from '../../src/api/metrics.js';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { createSecretBox, parseSecretKey } from '../../src/domain/secret-box.js';
import type { SecretBox } from '../../src/domain/secret-box.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createDeveloperStore } from '../../src/store/developer-store.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';

/** The real API over an in-memory embedded store and in-process queue, configured by environment variables. */
export async function testApi(vars: NodeJS.ProcessEnv): Promise<{ app: FastifyInstance; db: Database; secrets: SecretBox }> {
  const db = await openPglite(null);
  await migrate(db);
  const env = loadEnvironment(vars);
  const queue = createInProcessQueue();
  const secrets = createSecretBox(env.secrets.key ? parseSecretKey(env.secrets.key, 'ROACH_SECRET_KEY') : randomBytes(32));
  const app = await buildApp({
    tenants: createTenantStore(db, secrets),
    pipeline: createPipelineStore(db),
    developers: createDeveloperStore(db),
    queue,
    cache: createMemoryCache(),
    settings: env.api,
    outbound: env.outbound,
    git: { workspaceDir: env.git.workspaceDir, allowFile: env.git.allowFile },
    metrics: { collector: createMetrics({ queue, processMetrics: false }), token: env.metricsToken },
    health: async () => ({ database: { ok: true } }),
  });
  return { app, db, secrets };
}
