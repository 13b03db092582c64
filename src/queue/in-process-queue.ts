import { priorityRank } from '../domain/priority.js';
import type { Priority } from '../domain/priority.js';
import { backoffDelay, JOB_CATALOGUE, JOB_KINDS } from './catalogue.js';
import type { JobKind } from './catalogue.js';
import { failureReason, isPermanentFailure, JobHandedBack, parsePayload, runHandler } from './job-semantics.js';
import type { JobHandler, JobHandlers, JobInfo, JobQueue, JobState, RunningWorker, WorkerOptions } from './ports.js';

interface Entry {
  readonly kind: JobKind;
  readonly id: string;
  readonly payload: unknown;
  readonly priority: Priority;
  readonly seq: number;
  readonly dedupeKey: string | undefined;
  readonly enqueuedAt: number;
  state: JobState;
  attemptsMade: number;
  progress: unknown;
  result: unknown;
  failedReason: string | null;
  finishedAt: number | null;
}

const KEEP_FINISHED = 1_000;
const MINUTE_MS = 60_000;

/**
 * The job catalogue run inside this process, for the embedded mode: the same payload checks,
 * priorities, attempts, exponential backoff, timeouts, failed set and hand-back on close as the
 * BullMQ backend, without Redis. Jobs live as long as the process.
 */
/** Where `entry` goes in a list kept in priority order, first come first served within a priority. */
function insertionIndex(list: readonly Entry[], entry: Entry): number {
  const rank = priorityRank(entry.priority);
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = list[middle] as Entry;
    const otherRank = priorityRank(other.priority);
    if (otherRank < rank || (otherRank === rank && other.seq < entry.seq)) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function createInProcessQueue(): JobQueue {
  const entries = new Map<string, Entry>();
  const waiting = new Map<JobKind, Entry[]>(JOB_KINDS.map((kind) => [kind, []]));
  const nextId = new Map<JobKind, number>(JOB_KINDS.map((kind) => [kind, 1]));
  const pumps = new Set<() => void>();
  let seq = 0;

  const key = (kind: JobKind, id: string): string => `${kind}:${id}`;
  const makeWaiting = (entry: Entry): void => {
    entry.state = 'waiting';
    const list = waiting.get(entry.kind) as Entry[];
    list.splice(insertionIndex(list, entry), 0, entry);
    for (const pump of pumps) pump();
  };
  const finished = new Map<string, Entry[]>();
  const settle = (entry: Entry, state: 'completed' | 'failed'): void => {
    entry.state = state;
    entry.finishedAt = Date.now();
    const list = finished.get(`${entry.kind}:${state}`) ?? [];
    finished.set(`${entry.kind}:${state}`, list);
    list.push(entry);
    // Kept like BullMQ's removeOnComplete/removeOnFail counts: the oldest finished jobs are forgotten.
    if (list.length > KEEP_FINISHED) {
      const old = list.shift() as Entry;
      entries.delete(key(old.kind, old.id));
    }
  };
  const info = (entry: Entry): JobInfo => ({
    kind: entry.kind,
    id: entry.id,
    state: entry.state,
    priority: entry.priority,
    attemptsMade: entry.attemptsMade,
    progress: entry.progress,
    result: entry.result ?? null,
    failedReason: entry.failedReason,
    enqueuedAt: entry.enqueuedAt,
    finishedAt: entry.finishedAt,
    payload: entry.payload,
  });

  function work(handlers: JobHandlers, options: WorkerOptions): RunningWorker {
    let closing = false;
    const shutdown = new AbortController();
    const running = new Set<Promise<void>>();
    const kinds = (Object.keys(handlers) as JobKind[]).filter((kind) => handlers[kind]);
    const active = new Map<JobKind, number>(kinds.map((kind) => [kind, 0]));
    const starts = new Map<JobKind, number[]>(kinds.map((kind) => [kind, []]));
    let wakeUp: NodeJS.Timeout | undefined;

    const run = async (entry: Entry, handler: JobHandler<JobKind>): Promise<void> => {
      entry.state = 'active';
      options.onEvent?.({ type: 'started', kind: entry.kind, id: entry.id });
      try {
        const payload = parsePayload(entry.kind, entry.payload);
        const context = {
          jobId: entry.id,
          attempt: entry.attemptsMade + 1,
          progress: async (value: number | Record<string, unknown>) => {
            entry.progress = value;
          },
        };
        entry.result = await runHandler(entry.kind, handler, payload, context, shutdown.signal, options.timeoutsMs?.[entry.kind]);
        entry.attemptsMade++;
        settle(entry, 'completed');
        options.onEvent?.({ type: 'completed', kind: entry.kind, id: entry.id });
      } catch (error) {
        if (error instanceof JobHandedBack) {
          makeWaiting(entry);
          return;
        }
        entry.attemptsMade++;
        entry.failedReason = failureReason(error);
        const final = isPermanentFailure(error) || entry.attemptsMade >= JOB_CATALOGUE[entry.kind].attempts;
        options.onEvent?.({ type: 'failed', kind: entry.kind, id: entry.id, reason: entry.failedReason, final });
        if (final) {
          settle(entry, 'failed');
        } else {
          entry.state = 'delayed';
          setTimeout(() => makeWaiting(entry), backoffDelay(entry.kind, entry.attemptsMade)).unref();
        }
      }
    };

    const pump = (): void => {
      if (closing) return;
      for (const kind of kinds) {
        const list = waiting.get(kind) as Entry[];
        const recent = starts.get(kind) as number[];
        // Start times of the last minute, oldest first; at most ratePerMinute of them are ever kept.
        const windowStart = Date.now() - MINUTE_MS;
        let expired = 0;
        while (expired < recent.length && (recent[expired] as number) <= windowStart) expired++;
        if (expired > 0) recent.splice(0, expired);
        while (list.length > 0 && (active.get(kind) as number) < options.concurrency) {
          if (recent.length >= options.ratePerMinute) {
            clearTimeout(wakeUp);
            wakeUp = setTimeout(pump, (recent[0] as number) + MINUTE_MS - Date.now());
            break;
          }
          const entry = list.shift() as Entry;
          recent.push(Date.now());
          active.set(kind, (active.get(kind) as number) + 1);
          const done = run(entry, handlers[kind] as JobHandler<JobKind>).finally(() => {
            active.set(kind, (active.get(kind) as number) - 1);
            running.delete(done);
            pump();
          });
          running.add(done);
        }
      }
    };
    pumps.add(pump);
    queueMicrotask(pump);

    return {
      async close(graceMs) {
        closing = true;
        pumps.delete(pump);
        clearTimeout(wakeUp);
        const timer = setTimeout(() => shutdown.abort(), graceMs);
        try {
          while (running.size > 0) await Promise.all([...running]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  return {
    kind: 'in-process',
    async enqueue(kind, input, options = {}) {
      const payload = parsePayload(kind, input);
      if (options.dedupeKey) {
        for (const entry of entries.values()) {
          if (entry.kind === kind && entry.dedupeKey === options.dedupeKey && entry.state !== 'completed' && entry.state !== 'failed') {
            return { kind, id: entry.id };
          }
        }
      }
      let id = options.jobId;
      if (id === undefined) {
        id = String(nextId.get(kind));
        nextId.set(kind, Number(id) + 1);
      } else if (entries.has(key(kind, id))) {
        // BullMQ answers an existing id with that job too.
        return { kind, id };
      }
      const entry: Entry = {
        kind,
        id,
        payload,
        priority: options.priority ?? JOB_CATALOGUE[kind].priority,
        seq: seq++,
        dedupeKey: options.dedupeKey,
        enqueuedAt: Date.now(),
        state: 'waiting',
        attemptsMade: 0,
        progress: 0,
        result: null,
        failedReason: null,
        finishedAt: null,
      };
      entries.set(key(kind, id), entry);
      makeWaiting(entry);
      return { kind, id };
    },
    async job(kind, id) {
      const entry = entries.get(key(kind, id));
      return entry ? info(entry) : null;
    },
    async counts() {
      return JOB_KINDS.map((kind) => {
        const of = [...entries.values()].filter((e) => e.kind === kind);
        const n = (state: JobState): number => of.filter((e) => e.state === state).length;
        return { kind, waiting: n('waiting'), active: n('active'), delayed: n('delayed'), completed: n('completed'), failed: n('failed') };
      });
    },
    async failed(kind, limit) {
      return [...entries.values()]
        .filter((e) => e.kind === kind && e.state === 'failed')
        .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
        .slice(0, limit)
        .map(info);
    },
    work,
    async close() {
      pumps.clear();
    },
  };
}
