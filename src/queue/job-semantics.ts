import { describeZodError } from '../domain/describe-zod-error.js';
import { isRoachError, RoachError } from '../domain/errors.js';
import { JOB_CATALOGUE } from './catalogue.js';
import type { JobKind, JobPayload } from './catalogue.js';
import type { JobContext, JobHandler } from './ports.js';
import { ignoreError } from '../domain/ignore-error.js';

/**
 * The rules every queue backend follows, so BullMQ and the in-process runner behave the same:
 * payloads checked on the way in and on the way out, a timeout per job kind, and which failures
 * are worth a retry.
 */

export function parsePayload<K extends JobKind>(kind: K, raw: unknown): JobPayload<K> {
  const parsed = JOB_CATALOGUE[kind].payload.safeParse(raw);
  if (!parsed.success) {
    throw new RoachError('CR_ERR_JOB_PAYLOAD', `Malformed ${kind} job payload: ${describeZodError(parsed.error)}`, { kind });
  }
  return parsed.data as JobPayload<K>;
}

/** A failure that a retry cannot cure: bad input (a malformed payload, a project that does not exist). */
export function isPermanentFailure(error: unknown): boolean {
  return isRoachError(error) && error.httpStatus >= 400 && error.httpStatus < 500;
}

/** Thrown into a handler's race when a worker hands its job back at shutdown. */
export class JobHandedBack extends Error {
  constructor() {
    super('the worker shut down; the job goes back to the queue');
    this.name = 'JobHandedBack';
  }
}

/**
 * Runs a handler with the job kind's timeout. The handler sees one signal, aborted on timeout or
 * when `outer` aborts (worker shutdown); the returned promise settles at once in both cases even if
 * the handler is slow to notice, so a hung handler cannot hold a worker slot for ever.
 */
export async function runHandler<K extends JobKind>(
  kind: K,
  handler: JobHandler<K>,
  payload: JobPayload<K>,
  context: Omit<JobContext, 'signal'>,
  outer: AbortSignal | undefined,
  timeoutMs: number = JOB_CATALOGUE[kind].timeoutMs,
): Promise<unknown> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuter: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${kind} job timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    timer.unref();
    onOuter = (): void => {
      const error = new JobHandedBack();
      controller.abort(error);
      reject(error);
    };
    if (outer?.aborted) onOuter();
    else outer?.addEventListener('abort', onOuter, { once: true });
  });
  // Observed by the race below; this only keeps the rejection from counting as unhandled when the handler wins.
  stopped.catch(ignoreError('handled by Promise.race'));
  try {
    return await Promise.race([handler(payload, { ...context, signal: controller.signal }), stopped]);
  } catch (error) {
    // However the handler reacted to the abort (its own error, or none), a shutdown hands the job back.
    if (outer?.aborted) throw new JobHandedBack();
    throw error;
  } finally {
    clearTimeout(timer);
    // The worker's signal outlives every job: leave no listener behind.
    if (onOuter) outer?.removeEventListener('abort', onOuter);
  }
}

/** Messages stored as a failed job's reason: the catalogue code when there is one. */
export function failureReason(error: unknown): string {
  if (isRoachError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}
