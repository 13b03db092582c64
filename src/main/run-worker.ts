import type { ServiceEnvironment } from '../config/environment.js';
import { RoachError } from '../domain/errors.js';
import { isJobKind, JOB_KINDS } from '../queue/catalogue.js';
import type { JobKind } from '../queue/catalogue.js';
import type { JobHandlers, WorkerEvent } from '../queue/ports.js';
import type { QueueErrorSink } from '../queue/queue-errors.js';
import { createAttributionStore } from '../store/developer-store.js';
import { createMetrics, instrumentJobHandlers, serveMetrics } from '../api/metrics.js';
import { createJobHandlers } from './job-handlers.js';
import { openService } from './service.js';
import { createTestCheckpoints } from './test-checkpoints.js';

export { describeQueueError } from '../queue/queue-errors.js';

/** `--queues` default: every queue of the catalogue. */
export const ALL_QUEUES: string = JOB_KINDS.join(',');

/** `--queues a,b`: the named queues of the catalogue, or a usage error listing the known ones. */
export function parseQueueList(list: string): JobKind[] {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !isJobKind(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new RoachError('CR_ERR_USAGE', `--queues: unknown queue ${unknown.join(', ') || '(none given)'}; known: ${JOB_KINDS.join(', ')}.`);
  }
  return names as JobKind[];
}

export interface WorkerSettings {
  readonly queues: readonly JobKind[];
  readonly concurrency: number;
  readonly ratePerMinute: number;
  readonly graceMs: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly threads?: number;
  /** --metrics-port: serve GET /metrics on this port (0: any free port), bound to metricsHost. */
  readonly metricsPort?: number;
  /** Default 127.0.0.1: metrics stay on an internal listener unless the operator says otherwise. */
  readonly metricsHost?: string;
  readonly onEvent: (event: WorkerEvent) => void;
  /** Queue, connection and worker errors (rate-limited, with the queue name). */
  readonly onQueueError?: QueueErrorSink;
}

export interface StartedWorker {
  readonly description: string;
  /** Where the metrics listener answers, when --metrics-port was given. */
  readonly metricsAddress: string | null;
  /** Stops taking jobs, lets running ones finish (or hands them back after the grace period), closes connections. */
  stop(): Promise<void>;
}

/** Composition root of `roach worker`: the shared database and queues, the job handlers, the worker loop. */
export async function startWorker(env: ServiceEnvironment, settings: WorkerSettings): Promise<StartedWorker> {
  if (!env.redis || env.database.kind !== 'postgres') {
    const missing = [!env.redis && 'REDIS_URL (the shared queues)', env.database.kind !== 'postgres' && 'DATABASE_URL (the shared database)'].filter(Boolean);
    throw new RoachError(
      'CR_ERR_SERVICE_CONFIG',
      `roach worker needs ${missing.join(' and ')}. Without them, \`roach enqueue\` runs jobs in this process instead.`,
      { setting: missing.join(', ') },
    );
  }
  const service = await openService(env, { defaultDataDir: '.roach', applicationName: 'code-roach-worker', ...(settings.onQueueError ? { onQueueError: settings.onQueueError } : {}) });
  const checkpointDir = env.testCheckpointDir;
  const checkpoints = checkpointDir
    ? createTestCheckpoints({
        dir: checkpointDir,
        // The pause holds a pooled connection in an open transaction, as a crawl mid-write does.
        hold: (wait) =>
          service.db.transaction(async (tx) => {
            await tx.query('SELECT 1');
            await wait();
            await tx.query('SELECT 1');
          }),
      })
    : undefined;
  const all = createJobHandlers({
    pipeline: service.pipeline,
    tenants: service.tenants,
    webhookSecret: env.webhookSecret,
    outbound: env.outbound,
    gitAllowFile: env.git.allowFile,
    attribution: createAttributionStore(service.db),
    analysisLimits: env.analysis,
    threads: settings.threads,
    checkpoints,
  });
  const metrics = createMetrics({ queue: service.queue });
  const handlers: JobHandlers = instrumentJobHandlers(Object.fromEntries(settings.queues.map((kind) => [kind, all[kind]])), metrics);
  const listener =
    settings.metricsPort !== undefined
      ? await serveMetrics(metrics, { host: settings.metricsHost ?? '127.0.0.1', port: settings.metricsPort, token: env.metricsToken }).catch(async (error: unknown) => {
          await service.close();
          throw new RoachError('CR_ERR_SERVICE_CONFIG', `--metrics-port ${settings.metricsPort}: ${(error as Error).message}`, { setting: '--metrics-port' });
        })
      : null;
  const running = service.queue.work(handlers, {
    concurrency: settings.concurrency,
    ratePerMinute: settings.ratePerMinute,
    lockDurationMs: settings.lockDurationMs,
    stalledIntervalMs: settings.stalledIntervalMs,
    onEvent: settings.onEvent,
  });
  return {
    metricsAddress: listener ? `${listener.address}/metrics` : null,
    description: `queues ${settings.queues.join(', ')}; concurrency ${settings.concurrency}, ${settings.ratePerMinute} jobs/min per queue`,
    async stop() {
      try {
        await running.close(settings.graceMs);
        await listener?.close();
      } finally {
        await service.close();
      }
    },
  };
}
