import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createBullQueue } from '../../src/queue/bullmq-queue.js';
import { JOB_KINDS } from '../../src/queue/catalogue.js';
import { describeQueueError, rateLimitedQueueErrors } from '../../src/queue/queue-errors.js';
import type { QueueErrorReport } from '../../src/queue/queue-errors.js';
import { waitFor } from '../helpers/wait.js';

describe('rateLimitedQueueErrors', () => {
  it('passes the first error of each source and queue, then one per interval with the count left out', () => {
    const seen: QueueErrorReport[] = [];
    let now = 0;
    const report = rateLimitedQueueErrors((r) => seen.push(r), 1_000, () => now);
    const boom = new Error('ECONNREFUSED');
    report('connection', 'analysis', boom);
    report('connection', 'analysis', boom);
    report('worker', 'analysis', boom);
    report('connection', 'notifications', boom);
    now = 999;
    report('connection', 'analysis', boom);
    now = 1_000;
    report('connection', 'analysis', boom);
    expect(seen.map((r) => `${r.source} ${r.queue} ${r.suppressed}`)).toEqual([
      'connection analysis 0',
      'worker analysis 0',
      'connection notifications 0',
      'connection analysis 2',
    ]);
    expect(describeQueueError(seen[3] as QueueErrorReport)).toBe('queue connection error on queue "analysis": ECONNREFUSED (2 more since the last report)');
  });
});

describe('BullMQ queue errors', () => {
  it('are reported with their queue name instead of swallowed, once per interval however often Redis fails', async () => {
    // Nothing listens on port 1: every connection attempt fails, as during a Redis outage.
    const redis = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: null, retryStrategy: () => 20 });
    const seen: QueueErrorReport[] = [];
    const queue = createBullQueue({ redis, prefix: 'roach-test-errors', onError: (r) => seen.push(r), errorIntervalMs: 60_000 });
    const worker = queue.work({ analysis: async () => ({}) }, { concurrency: 1, ratePerMinute: 10 });
    try {
      await waitFor(() => seen.some((r) => r.source === 'connection' && r.queue === 'analysis') && seen.some((r) => r.source === 'queue'), 10_000);
      // Let the failures repeat for a while: still one report per source and queue.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const keys = seen.map((r) => `${r.source} ${r.queue}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toContain('connection *');
      expect(keys).toContain('connection analysis');
      for (const kind of JOB_KINDS) expect(keys).toContain(`queue ${kind}`);
      expect(seen.every((r) => /ECONNREFUSED|connect/i.test(r.error.message))).toBe(true);
    } finally {
      redis.disconnect();
      await Promise.race([Promise.all([worker.close(0), queue.close()]), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    }
  }, 30_000);
});
