import type { Priority } from '../domain/priority.js';
import type { JobInput, JobKind, JobPayload } from './catalogue.js';

export interface EnqueueOptions {
  readonly priority?: Priority;
  /**
   * While a job with this key is waiting or running, enqueueing another returns the existing one
   * (a project is never crawled twice at once).
   */
  readonly dedupeKey?: string;
  /**
   * The new job's id instead of a queue-assigned number (e.g. one naming its organization): unique per
   * kind, not an integer, no ':'. A deduplicated enqueue answers the existing job's id instead.
   */
  readonly jobId?: string;
}

export interface EnqueuedJob {
  readonly kind: JobKind;
  readonly id: string;
}

export type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

export interface JobInfo {
  readonly kind: JobKind;
  readonly id: string;
  readonly state: JobState;
  readonly priority: Priority;
  readonly attemptsMade: number;
  readonly progress: unknown;
  readonly result: unknown;
  readonly failedReason: string | null;
  readonly enqueuedAt: number;
  readonly finishedAt: number | null;
  /** What the job was asked to do (its parsed payload as enqueued), e.g. to check who may see it. */
  readonly payload: unknown;
}

export interface QueueCounts {
  readonly kind: JobKind;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
}

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly jobId: string;
  /** 1 on the first try. */
  readonly attempt: number;
  /** Aborted on timeout or worker shutdown: stop at the next safe point. */
  readonly signal: AbortSignal;
  progress(value: number | Record<string, unknown>): Promise<void>;
}

export type JobHandler<K extends JobKind> = (payload: JobPayload<K>, context: JobContext) => Promise<unknown>;
export type JobHandlers = { readonly [K in JobKind]?: JobHandler<K> };

export interface WorkerOptions {
  /** Jobs run at once per queue. */
  readonly concurrency: number;
  /** Jobs started per minute per queue. */
  readonly ratePerMinute: number;
  /** How long a job may run without its worker renewing the lock before it counts as stalled. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Per-kind timeouts that replace the catalogue's (an operator with very large repositories). */
  readonly timeoutsMs?: Partial<Record<JobKind, number>>;
  readonly onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { readonly type: 'started' | 'completed'; readonly kind: JobKind; readonly id: string }
  | { readonly type: 'failed'; readonly kind: JobKind; readonly id: string; readonly reason: string; readonly final: boolean };

export interface RunningWorker {
  /**
   * Stops taking jobs and waits up to `graceMs` for the running ones; jobs still running then are
   * aborted and handed back to the queue for another worker.
   */
  close(graceMs: number): Promise<void>;
}

/** A queue backend: BullMQ on Redis for the service, in-process for the embedded mode. */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  /** Validates the payload against the catalogue (CR_ERR_JOB_PAYLOAD names the field) and enqueues it. */
  enqueue<K extends JobKind>(kind: K, payload: JobInput<K>, options?: EnqueueOptions): Promise<EnqueuedJob>;
  job(kind: JobKind, id: string): Promise<JobInfo | null>;
  counts(): Promise<QueueCounts[]>;
  failed(kind: JobKind, limit: number): Promise<JobInfo[]>;
  /** Processes jobs of the kinds `handlers` names until closed. */
  work(handlers: JobHandlers, options: WorkerOptions): RunningWorker;
  close(): Promise<void>;
}

export type { JobPayload };
