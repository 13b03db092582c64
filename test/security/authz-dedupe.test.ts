import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullQueue } from '../../src/queue/bullmq-queue.js';
import { stderrQueueErrors } from '../../src/main/service.js';
import { dedupeKeys, organizationOfJobId, tenantJobId } from '../../src/queue/dedupe-keys.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import type { JobQueue } from '../../src/queue/ports.js';
import { connectQueueRedis } from '../../src/queue/redis-connection.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';

/**
 * Issue 20 point 3: a deduplication key of one tenant never folds another tenant's job onto its own.
 * The probe saw org B's crawl of PB joined to a job org A had enqueued for PB (key `project:<id>`).
 */
const redisUp = await redisAvailable();
const prefix = uniquePrefix('roach_authz_dedupe');
let redis: Redis | undefined;
const queues: { name: string; skip: boolean; open: () => Promise<JobQueue> }[] = [
  { name: 'in-process', skip: false, open: async () => createInProcessQueue() },
  {
    name: 'BullMQ',
    skip: !redisUp,
    open: async () => {
      redis ??= await connectQueueRedis(REDIS_URL);
      return createBullQueue({ redis, prefix: `${prefix}${randomUUID().slice(0, 8)}`, onError: stderrQueueErrors });
    },
  },
];
afterAll(async () => {
  redis?.disconnect();
  if (redisUp) await cleanupPrefix(prefix);
});

describe.each(queues)('tenant-scoped deduplication and job ids ($name)', (backend) => {
  it.skipIf(backend.skip)('keeps one tenant\'s crawl of a project apart from another\'s with the same project id, and joins a tenant\'s own repeats', async () => {
    const queue = await backend.open();
    try {
      const [orgA, orgB, project] = [randomUUID(), randomUUID(), randomUUID()];
      const enqueue = (org: string) =>
        queue.enqueue('codebase-crawl', { organizationId: org, projectId: project }, { dedupeKey: dedupeKeys.projectCrawl(org, project), jobId: tenantJobId(org) });
      const a = await enqueue(orgA);
      const b = await enqueue(orgB);
      const again = await enqueue(orgB);
      expect(b.id).not.toBe(a.id);
      expect(again.id).toBe(b.id);
      expect(organizationOfJobId(a.id)).toBe(orgA);
      expect(organizationOfJobId(b.id)).toBe(orgB);
      expect(((await queue.job('codebase-crawl', b.id))?.payload as { organizationId: string }).organizationId).toBe(orgB);
      expect(dedupeKeys.fixDecision(orgA, project, 'apply')).not.toBe(dedupeKeys.fixDecision(orgB, project, 'apply'));
      expect(organizationOfJobId('42')).toBeNull();
    } finally {
      await queue.close();
    }
  });
});
