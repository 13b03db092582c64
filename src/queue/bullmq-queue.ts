import { Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { PRIORITIES, priorityRank } from '../domain/priority.js';
import type { Priority } from '../domain/priority.js';
import { JOB_CATALOGUE, JOB_KINDS } from './catalogue.js';
import type { JobKind } from './catalogue.js';
import { rateLimitedQueueErrors } from './queue-errors.js';
import type { QueueErrorSink, QueueErrorSource } from './queue-errors.js';
import { failureReason, isPermanentFailure, JobHandedBack, parsePayload, runHandler } from './job-semantics.js';
import type { JobHandler, JobInfo, JobQueue, JobState, QueueCounts, RunningWorker, WorkerOptions } from './ports.js';

export interface BullQueueOptions {
  /** A connected client (see connectQueueRedis); workers open their own duplicates. */
  readonly redis: Redis;
  /** Key prefix of every queue, so deployments and test runs can share one Redis. */
  readonly prefix: string;
  /** Queue, connection and worker errors (rate-limited, with the queue name): BullMQ reconnects by itself, but an operator must see why. */
  readonly onError: QueueErrorSink;
  /** Least time between two reports of the same source and queue (default 30 s). */
  readonly errorIntervalMs?: number;
}

type ReportError = (source: QueueErrorSource, queue: string, error: Error) => void;

const KEEP_COMPLETED = 1_000;
const KEEP_FAILED = 5_000;

function stateOf(raw: string): JobState {
  switch (raw) {
    case 'active':
      return 'active';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'delayed':
      return 'delayed';
    default:
      return 'waiting';
  }
}

function priorityOf(rank: number | undefined): Priority {
  return PRIORITIES[(rank ?? priorityRank('normal')) - 1] ?? 'normal';
}

function infoOf(kind: JobKind, job: Job, state: JobState): JobInfo {
  return {
    kind,
    id: String(job.id),
    state,
    priority: priorityOf(job.opts.priority),
    attemptsMade: job.attemptsMade,
    progress: job.progress,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    enqueuedAt: job.timestamp,
    finishedAt: job.finishedOn ?? null,
    payload: job.data,
  };
}

/** The job catalogue on BullMQ queues in Redis, shared by any number of `roach worker` processes. */
export function createBullQueue(options: BullQueueOptions): JobQueue {
  const report = rateLimitedQueueErrors(options.onError, options.errorIntervalMs);
  const onSharedError = (error: Error): void => report('connection', '*', error);
  options.redis.on('error', onSharedError);
  const queues = new Map<JobKind, Queue>(
    JOB_KINDS.map((kind) => {
      const queue = new Queue(kind, { connection: options.redis, prefix: options.prefix });
      queue.on('error', (error) => report('queue', kind, error));
      return [kind, queue];
    }),
  );
  const queueOf = (kind: JobKind): Queue => queues.get(kind) as Queue;

  return {
    kind: 'bullmq',
    async enqueue(kind, input, enqueueOptions = {}) {
      const payload = parsePayload(kind, input);
      const entry = JOB_CATALOGUE[kind];
      const job = await queueOf(kind).add(kind, payload, {
        priority: priorityRank(enqueueOptions.priority ?? entry.priority),
        attempts: entry.attempts,
        backoff: { type: 'exponential', delay: entry.backoffMs },
        ...(enqueueOptions.dedupeKey ? { deduplication: { id: enqueueOptions.dedupeKey } } : {}),
        ...(enqueueOptions.jobId ? { jobId: enqueueOptions.jobId } : {}),
        removeOnComplete: { count: KEEP_COMPLETED },
        removeOnFail: { count: KEEP_FAILED },
      });
      return { kind, id: String(job.id) };
    },
    async job(kind, id) {
      // The state first, then the record: read the other way round, a job finishing in between showed
      // a final state with the record from before it finished (attempts, result). A record that finished
      // after its state was read has its state read again.
      const queue = queueOf(kind);
      let state = await queue.getJobState(id);
      if (state === 'unknown') return null;
      const job = await queue.getJob(id);
      if (!job) return null;
      if (job.finishedOn && state !== 'completed' && state !== 'failed') state = await job.getState();
      return infoOf(kind, job, stateOf(state));
    },
    async counts() {
      return Promise.all(
        JOB_KINDS.map(async (kind): Promise<QueueCounts> => {
          const c = await queueOf(kind).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
          return {
            kind,
            waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            completed: c.completed ?? 0,
            failed: c.failed ?? 0,
          };
        }),
      );
    },
    async failed(kind, limit) {
      const jobs = await queueOf(kind).getFailed(0, Math.max(0, limit - 1));
      return jobs.map((job) => infoOf(kind, job as Job, 'failed'));
    },
    work(handlers, workerOptions) {
      // Each worker blocks on its own connection; they are ours to close.
      const connections: Redis[] = [];
      const workers = (Object.keys(handlers) as JobKind[]).map((kind) => {
        const connection = options.redis.duplicate();
        connection.on('error', (error: Error) => report('connection', kind, error));
        connections.push(connection);
        return startWorker(options, connection, kind, handlers[kind] as JobHandler<JobKind>, workerOptions, report);
      });
      return {
        async close(graceMs) {
          const closing = Promise.all(workers.map((w) => w.close())).finally(() => {
            for (const connection of connections) connection.disconnect();
          });
          const timer = setTimeout(() => {
            for (const w of workers) w.cancelAllJobs('shutdown');
          }, graceMs);
          try {
            await closing;
          } finally {
            clearTimeout(timer);
          }
        },
      } satisfies RunningWorker;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      options.redis.off('error', onSharedError);
    },
  };
}

function startWorker(options: BullQueueOptions, connection: Redis, kind: JobKind, handler: JobHandler<JobKind>, workerOptions: WorkerOptions, report: ReportError): Worker {
  const worker = new Worker(
    kind,
    async (job: Job, token?: string, signal?: AbortSignal) => {
      let payload;
      try {
        payload = parsePayload(kind, job.data);
      } catch (error) {
        // Checked again when taken: whatever put it there, a malformed job fails once, with the reason.
        throw new UnrecoverableError(failureReason(error));
      }
      try {
        return await runHandler(
          kind,
          handler,
          payload,
          { jobId: String(job.id), attempt: job.attemptsMade + 1, progress: (value) => job.updateProgress(value) },
          signal,
          workerOptions.timeoutsMs?.[kind],
        );
      } catch (error) {
        if (error instanceof JobHandedBack && token) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        if (isPermanentFailure(error)) throw new UnrecoverableError(failureReason(error));
        throw new Error(failureReason(error), { cause: error });
      }
    },
    {
      connection,
      prefix: options.prefix,
      concurrency: workerOptions.concurrency,
      limiter: { max: workerOptions.ratePerMinute, duration: 60_000 },
      ...(workerOptions.lockDurationMs ? { lockDuration: workerOptions.lockDurationMs } : {}),
      ...(workerOptions.stalledIntervalMs ? { stalledInterval: workerOptions.stalledIntervalMs } : {}),
      maxStalledCount: 1,
    },
  );
  worker.on('error', (error) => report('worker', kind, error));
  const emit = workerOptions.onEvent;
  if (emit) {
    worker.on('active', (job) => emit({ type: 'started', kind, id: String(job.id) }));
    worker.on('completed', (job) => emit({ type: 'completed', kind, id: String(job.id) }));
    worker.on('failed', (job, error) => {
      if (!job || error instanceof WaitingError) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      emit({ type: 'failed', kind, id: String(job.id), reason: error.message, final });
    });
  }
  return worker;
}
