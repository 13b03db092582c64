import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RoachError } from '../../src/domain/errors.js';
import type { Priority } from '../../src/domain/priority.js';
import { createBullQueue } from '../../src/queue/bullmq-queue.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import type { JobQueue, RunningWorker } from '../../src/queue/ports.js';
import type { QueueErrorReport } from '../../src/queue/queue-errors.js';
import { connectQueueRedis } from '../../src/queue/redis-connection.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const redisUp = await redisAvailable();
const org = randomUUID();
const project = randomUUID();
const fast = { concurrency: 1, ratePerMinute: 10_000 };

interface Backend {
  readonly name: string;
  readonly skip: boolean;
  open(): Promise<JobQueue>;
  cleanup(): Promise<void>;
}

const prefix = uniquePrefix();
/** Errors the BullMQ queues reported; none is expected while Redis is up. */
const queueErrors: QueueErrorReport[] = [];
let redis: Redis | undefined;
const backends: Backend[] = [
  { name: 'in-process', skip: false, open: async () => createInProcessQueue(), cleanup: async () => undefined },
  {
    name: 'BullMQ',
    skip: !redisUp,
    open: async () => {
      redis ??= await connectQueueRedis(REDIS_URL);
      return createBullQueue({ redis, prefix: `${prefix}${randomUUID().slice(0, 8)}`, onError: (report) => queueErrors.push(report) });
    },
    cleanup: async () => {
      redis?.disconnect();
      await cleanupPrefix(prefix);
    },
  },
];

describe.each(backends)('job queue conformance: $name', (backend) => {
  const opened: JobQueue[] = [];
  const workers: RunningWorker[] = [];
  const open = async (): Promise<JobQueue> => {
    const queue = await backend.open();
    opened.push(queue);
    return queue;
  };
  afterAll(async () => {
    if (backend.skip) return;
    await Promise.all(workers.map((w) => w.close(100)));
    await Promise.all(opened.map((q) => q.close()));
    await backend.cleanup();
  });

  it.skipIf(backend.skip)('rejects a malformed payload when enqueued, naming the field', async () => {
    const queue = await open();
    const error = await queue.enqueue('codebase-crawl', { organizationId: org, projectId: 'not-a-uuid' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoachError);
    expect((error as RoachError).code).toBe('CR_ERR_JOB_PAYLOAD');
    expect((error as RoachError).message).toMatch(/projectId/);
    await expect(queue.enqueue('analysis', { organizationId: org, projectId: project, extra: 1 } as never)).rejects.toThrow(/extra: unknown key/);
  });

  it.skipIf(backend.skip)('serves critical first, then high, normal, low; first come first served within a priority', async () => {
    const queue = await open();
    const plan: Priority[] = ['low', 'normal', 'low', 'critical', 'high', 'normal', 'low', 'high', 'critical'];
    const ids = new Map<string, string>();
    for (const [n, priority] of plan.entries()) {
      const job = await queue.enqueue('analysis', { organizationId: org, projectId: project, requestedBy: `${priority}-${n}` }, { priority });
      ids.set(job.id, `${priority}-${n}`);
    }
    const order: string[] = [];
    workers.push(
      queue.work({ analysis: async (payload) => void order.push(payload.requestedBy ?? '?') }, fast),
    );
    await waitFor(() => order.length === plan.length, 60_000, 'all jobs');
    expect(order).toEqual(['critical-3', 'critical-8', 'high-4', 'high-7', 'normal-1', 'normal-5', 'low-0', 'low-2', 'low-6']);
  });

  it.skipIf(backend.skip)('retries a failing job with backoff and reports progress and result', async () => {
    const queue = await open();
    const attempts: number[] = [];
    const times: number[] = [];
    workers.push(
      queue.work(
        {
          'fix-application': async (_payload, context) => {
            attempts.push(context.attempt);
            times.push(Date.now());
            await context.progress({ step: 'apply', percent: 50 });
            if (context.attempt === 1) throw new Error('disk briefly full');
            return { applied: true };
          },
        },
        fast,
      ),
    );
    const job = await queue.enqueue('fix-application', { organizationId: org, projectId: project, fixId: randomUUID(), action: 'apply', actor: 'test' });
    const done = await waitFor(async () => {
      const info = await queue.job('fix-application', job.id);
      return info?.state === 'completed' ? info : undefined;
    }, 60_000, 'completion');
    expect(attempts).toEqual([1, 2]);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1_900);
    expect(done).toMatchObject({ result: { applied: true }, progress: { step: 'apply', percent: 50 }, attemptsMade: 2 });
  });

  it.skipIf(backend.skip)('sends a job that cannot succeed to the failed set at once, with the reason', async () => {
    const queue = await open();
    let calls = 0;
    workers.push(
      queue.work(
        {
          notifications: async () => {
            calls++;
            throw new RoachError('CR_ERR_NOT_FOUND', 'No project with id 42.');
          },
        },
        fast,
      ),
    );
    const job = await queue.enqueue('notifications', { organizationId: org, event: 'x', title: 't', text: '', channels: [{ type: 'webhook', url: 'http://127.0.0.1:1/hook' }] });
    const failed = await waitFor(async () => (await queue.failed('notifications', 10)).find((f) => f.id === job.id), 60_000, 'failed job');
    expect(calls).toBe(1);
    expect(failed.failedReason).toMatch(/No project with id 42.*CR_ERR_NOT_FOUND/);
    expect((await queue.counts()).find((c) => c.kind === 'notifications')).toMatchObject({ failed: 1, waiting: 0, active: 0 });
  });

  it.skipIf(backend.skip)('times a hung job out and hands running jobs back on close', async () => {
    const queue = await open();
    const reasons: string[] = [];
    const hung = queue.work({ analysis: () => new Promise(() => undefined) }, { ...fast, timeoutsMs: { analysis: 300 }, onEvent: (e) => void (e.type === 'failed' && reasons.push(e.reason)) });
    const first = await queue.enqueue('analysis', { organizationId: org, projectId: project });
    await waitFor(() => reasons.length > 0, 60_000, 'timeout');
    expect(reasons[0]).toMatch(/timed out after 300 ms/);
    await hung.close(0);
    // A worker that is shut down mid-job gives the job back instead of losing it.
    const blocking = queue.work({ 'codebase-crawl': (_p, context) => new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(new Error('stopped')))) }, fast);
    const second = await queue.enqueue('codebase-crawl', { organizationId: org, projectId: project });
    await waitFor(async () => (await queue.job('codebase-crawl', second.id))?.state === 'active', 60_000, 'active');
    await blocking.close(100);
    expect(await queue.job('codebase-crawl', second.id)).toMatchObject({ state: 'waiting', attemptsMade: 0 });
    const results: string[] = [];
    workers.push(queue.work({ 'codebase-crawl': async (_p, context) => void results.push(context.jobId) }, fast));
    await waitFor(() => results.includes(second.id), 60_000, 'the handed-back job');
    expect(first.id).toBeTruthy();
  });

  it.skipIf(backend.skip)('does not enqueue a second job with the same dedupe key while the first waits', async () => {
    const queue = await open();
    const a = await queue.enqueue('codebase-crawl', { organizationId: org, projectId: project }, { dedupeKey: `crawl:${project}` });
    const b = await queue.enqueue('codebase-crawl', { organizationId: org, projectId: project }, { dedupeKey: `crawl:${project}` });
    const c = await queue.enqueue('codebase-crawl', { organizationId: org, projectId: randomUUID() }, { dedupeKey: 'crawl:other' });
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });
});

describe.skipIf(!redisUp)('BullMQ only', () => {
  it('fails a malformed job when it is taken, with the reason, without retrying it', async () => {
    const connection = await connectQueueRedis(REDIS_URL);
    const jobPrefix = `${prefix}raw`;
    const queue = createBullQueue({ redis: connection, prefix: jobPrefix, onError: (report) => queueErrors.push(report) });
    // Something other than Code Roach (or an older version) put a bad payload on the queue.
    const raw = new Queue('analysis', { connection, prefix: jobPrefix });
    const job = await raw.add('analysis', { organizationId: 'nope' }, { attempts: 3 });
    let calls = 0;
    const worker = queue.work({ analysis: async () => void calls++ }, fast);
    const failed = await waitFor(async () => (await queue.failed('analysis', 5)).find((f) => f.id === String(job.id)), 60_000, 'failed');
    expect(failed.failedReason).toMatch(/Malformed analysis job payload: organizationId.*projectId/s);
    expect(failed.attemptsMade).toBe(1);
    expect(calls).toBe(0);
    await worker.close(100);
    await raw.close();
    await queue.close();
    connection.disconnect();
  });
});
