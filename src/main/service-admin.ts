import path from 'node:path';
import type { ServiceEnvironment } from '../config/environment.js';
import { createBullQueue } from '../queue/bullmq-queue.js';
import { JOB_KINDS } from '../queue/catalogue.js';
import type { JobInfo, QueueCounts } from '../queue/ports.js';
import { connectQueueRedis } from '../queue/redis-connection.js';
import { migrate } from '../store/migrate.js';
import { openPostgres } from '../store/postgres.js';
import { openEmbeddedStore } from './embedded-store.js';
import { stderrQueueErrors } from './service.js';

/*
 * The administration commands' work (`roach jobs`, `roach db migrate`, `roach health`): here, because
 * only main/ knows which database and queue an environment uses; cli/ formats what these return.
 */

/** Depth per queue and up to `limit` failed jobs per queue, read from the shared BullMQ queues. */
export async function readQueueState(redisSettings: NonNullable<ServiceEnvironment['redis']>, limit: number): Promise<{ counts: QueueCounts[]; failed: JobInfo[] }> {
  const redis = await connectQueueRedis(redisSettings.url);
  const queue = createBullQueue({ redis, prefix: redisSettings.prefix, onError: stderrQueueErrors });
  try {
    const counts = await queue.counts();
    const failed = limit > 0 ? (await Promise.all(JOB_KINDS.map((kind) => queue.failed(kind, limit)))).flat() : [];
    return { counts, failed };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** Brings the environment's database (PostgreSQL, else the embedded store) up to date; says which and what ran. */
export async function migrateDatabase(env: ServiceEnvironment, dataDirFlag: string | undefined): Promise<{ applied: readonly number[]; where: string }> {
  if (env.database.kind === 'postgres') {
    const database = await openPostgres({ connectionString: env.database.url, schema: env.database.schema, maxConnections: 1 });
    try {
      return { applied: await migrate(database), where: 'PostgreSQL (DATABASE_URL)' };
    } finally {
      await database.close();
    }
  }
  const dataDir = path.resolve(dataDirFlag ?? env.database.dataDir ?? '.roach');
  const opened = await openEmbeddedStore(dataDir);
  const applied = opened.migrated;
  await opened.close();
  return { applied, where: `the embedded store in ${dataDir}` };
}

export interface QueueHealth {
  readonly kind: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Whether the environment's queue is usable: in-process always is; BullMQ when its Redis answers within 3 s. */
export async function queueHealth(env: ServiceEnvironment): Promise<QueueHealth> {
  if (!env.redis) return { kind: 'in-process', ok: true, detail: 'jobs run inside the process that enqueues them (no REDIS_URL)' };
  return connectQueueRedis(env.redis.url, 3_000).then(
    (redis) => {
      redis.disconnect();
      return { kind: 'bullmq', ok: true, detail: 'reachable' };
    },
    (error: unknown) => ({ kind: 'bullmq', ok: false, detail: (error as Error).message }),
  );
}
