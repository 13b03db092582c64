import type { Cache, CacheHealth } from '../cache/cache.js';
import { withCache } from '../cache/cached-pipeline-store.js';
import { createMemoryCache } from '../cache/memory-cache.js';
import { connectRedisCache } from '../cache/redis-cache.js';
import type { ServiceEnvironment } from '../config/environment.js';
import { RoachError } from '../domain/errors.js';
import type { PipelineStore } from '../crawl/ports.js';
import { createBullQueue } from '../queue/bullmq-queue.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import { describeQueueError } from '../queue/queue-errors.js';
import type { QueueErrorSink } from '../queue/queue-errors.js';
import type { JobQueue } from '../queue/ports.js';
import { connectQueueRedis } from '../queue/redis-connection.js';
import { migrate } from '../store/migrate.js';
import { createPipelineStore } from '../store/pipeline-store.js';
import { openPostgres } from '../store/postgres.js';
import type { Organization } from '../store/repositories/tenancy.js';
import type { Database } from '../store/sql.js';
import { createTenantStore } from '../store/tenant-store.js';
import type { TenantStore } from '../store/tenant-store.js';
import type { SecretBox } from '../domain/secret-box.js';
import { openEmbeddedStore } from './embedded-store.js';
import { openSecretBox, resealSecrets } from './secret-key.js';
import { ignoreError } from '../domain/ignore-error.js';

/** Everything a service command (worker, enqueue, serve) works with, chosen by the environment. */
export interface Service {
  readonly env: ServiceEnvironment;
  readonly db: Database;
  readonly pipeline: PipelineStore;
  readonly tenants: TenantStore;
  readonly cache: Cache;
  readonly queue: JobQueue;
  /** Seals secrets at rest; null in service mode without ROACH_SECRET_KEY. */
  readonly secrets: SecretBox | null;
  /** The organization named by ROACH_ORG (created on first use). */
  readonly organization: Organization;
  health(): Promise<ServiceHealth>;
  close(): Promise<void>;
}

export interface ServiceHealth {
  readonly database: { readonly kind: Database['kind']; readonly ok: boolean; readonly detail: string };
  readonly cache: CacheHealth;
  readonly queue: { readonly kind: JobQueue['kind']; readonly ok: boolean; readonly detail: string };
}

export interface OpenServiceOptions {
  /** Embedded mode without ROACH_DATA_DIR: where the data directory goes. */
  readonly defaultDataDir: string;
  /** Commands that only read the database (jobs, migrate) skip the queue connection. */
  readonly queue?: boolean;
  readonly applicationName?: string;
  /** Where BullMQ queue, connection and worker errors are logged (rate-limited); default: a line on stderr. */
  readonly onQueueError?: QueueErrorSink;
}

/** Without a logger of its own, a process still says why its queues fail. */
export const stderrQueueErrors: QueueErrorSink = (report) => {
  process.stderr.write(`${describeQueueError(report)}\n`);
};

/**
 * Opens the database (PostgreSQL when DATABASE_URL is set, else the embedded store), migrates it
 * (under the migration lock, so processes starting together take turns), then the cache and the
 * queue (Redis when REDIS_URL is set, else in memory / in process). Everything opened so far is
 * closed again when a later step fails.
 */
export async function openService(env: ServiceEnvironment, options: OpenServiceOptions): Promise<Service> {
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(ignoreError('shutting down: every other resource must still be closed, and a failed start-up throws its own error'));
  };
  try {
    let db: Database;
    let embeddedDataDir: string | null = null;
    if (env.database.kind === 'postgres') {
      db = await openPostgres({
        connectionString: env.database.url,
        schema: env.database.schema,
        maxConnections: env.database.poolMax,
        // With the schema in it, operators (and the fault tests) can tell deployments apart in pg_stat_activity.
        applicationName: `${options.applicationName ?? 'code-roach'}${env.database.schema ? `/${env.database.schema}` : ''}`,
      });
      closers.push(() => db.close());
      await migrate(db);
    } else {
      embeddedDataDir = env.database.dataDir ?? options.defaultDataDir;
      const embedded = await openEmbeddedStore(embeddedDataDir);
      db = embedded.db;
      closers.push(() => embedded.close());
    }

    let cache: Cache;
    let queue: JobQueue;
    if (env.redis) {
      try {
        cache = await connectRedisCache(env.redis.url, `${env.redis.prefix}:cache:`);
      } catch (error) {
        throw new RoachError('CR_ERR_SERVICE_CONFIG', (error as Error).message, { setting: 'REDIS_URL' });
      }
      closers.push(() => cache.close());
      if (options.queue !== false) {
        const redis = await connectQueueRedis(env.redis.url);
        closers.push(async () => redis.disconnect());
        queue = createBullQueue({ redis, prefix: env.redis.prefix, onError: options.onQueueError ?? stderrQueueErrors });
        closers.push(() => queue.close());
      } else {
        queue = createInProcessQueue();
      }
    } else {
      cache = createMemoryCache();
      queue = createInProcessQueue();
    }

    const secrets = await openSecretBox(env, embeddedDataDir);
    if (secrets) await resealSecrets(db, secrets);
    const tenants = createTenantStore(db, secrets);
    const organization = await tenants.ensureOrganization(env.organizationSlug, env.organizationSlug);
    const pipeline = withCache(createPipelineStore(db), cache);
    return {
      env,
      db,
      pipeline,
      tenants,
      cache,
      queue,
      secrets,
      organization,
      async health() {
        const database = await db
          .query('SELECT 1')
          .then(() => ({ kind: db.kind, ok: true, detail: 'reachable' }))
          .catch((error: unknown) => ({ kind: db.kind, ok: false, detail: (error as Error).message }));
        const queueHealth = await queue
          .counts()
          .then(() => ({ kind: queue.kind, ok: true, detail: 'reachable' }))
          .catch((error: unknown) => ({ kind: queue.kind, ok: false, detail: (error as Error).message }));
        return { database, cache: await cache.health(), queue: queueHealth };
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
