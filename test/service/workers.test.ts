import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Priority } from '../../src/domain/priority.js';
import { cleanupTemp, run } from '../helpers/project.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { redisAvailable } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { openServiceFixture, rows } from './service-fixture.js';
import type { ServiceFixture } from './service-fixture.js';

const available = (await postgresAvailable()) && (await redisAvailable());
if (!available && process.env.CI) throw new Error('CI is set but PostgreSQL or Redis is not reachable: the worker tests must run.');

/** Counts that prove a crawl's writes happened once: no duplicate issue, no fix applied twice. */
async function integrity(fixture: ServiceFixture, projectId: string) {
  const [issues] = await rows<{ total: string; distinct_fp: string }>(
    fixture.schema,
    'SELECT count(*) AS total, count(DISTINCT fingerprint) AS distinct_fp FROM code_roach_issues WHERE project_id = $1',
    [projectId],
  );
  const fixes = await rows<{ issue_id: string; applied: string }>(
    fixture.schema,
    `SELECT issue_id, count(*) FILTER (WHERE status = 'applied') AS applied FROM fixes WHERE project_id = $1 GROUP BY issue_id`,
    [projectId],
  );
  const crawls = await rows<{ status: string; error: string | null }>(fixture.schema, 'SELECT status, error FROM crawls WHERE project_id = $1 ORDER BY started_at', [projectId]);
  const stuck = await rows(fixture.schema, `SELECT id FROM fixes WHERE project_id = $1 AND status = 'applying'`, [projectId]);
  return {
    issues: Number(issues?.total),
    distinctIssues: Number(issues?.distinct_fp),
    maxAppliedPerIssue: Math.max(0, ...fixes.map((f) => Number(f.applied))),
    appliedFixes: fixes.reduce((n, f) => n + Number(f.applied), 0),
    crawls,
    stuck: stuck.length,
  };
}

/** Waits for a crawl job to end (completed or failed) and returns its state. */
async function finished(fixture: ServiceFixture, jobId: string, timeoutMs = 90_000) {
  return waitFor(
    async () => {
      const info = await fixture.queue.job('codebase-crawl', jobId);
      return info?.state === 'completed' || info?.state === 'failed' ? info : undefined;
    },
    timeoutMs,
    `job ${jobId} to finish`,
    () => fixture.queue.job('codebase-crawl', jobId),
  );
}

// Each test has its own schema, queue prefix and workers: a failure cannot leave a worker or a job
// behind that takes the next test's work.
describe.skipIf(!available)('roach worker processes on PostgreSQL and Redis', () => {
  let fixture: ServiceFixture;
  beforeEach(async () => {
    fixture = await openServiceFixture();
  });
  afterEach(async () => {
    await fixture?.close();
  });
  afterAll(async () => {
    await cleanupTemp();
  });

  it('two workers share one queue: every job runs once, across both', async () => {
    const projects = await Promise.all(Array.from({ length: 6 }, () => fixture.project()));
    const jobs = [];
    for (const project of projects) {
      jobs.push(await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true }));
    }
    // Both workers hold a job at once before any finishes: each took work, whichever started first.
    await fixture.pauseAt('recording-issues');
    const a = fixture.startWorker(['--concurrency', '1']);
    const b = fixture.startWorker(['--concurrency', '1']);
    const ids = jobs.map((j) => j.id);
    const paused = await waitFor(
      async () => {
        const held = await fixture.pausedJobs('recording-issues', ids);
        return new Set(held.values()).size === 2 ? held : undefined;
      },
      60_000,
      'both workers to hold a job',
      async () => [...(await fixture.pausedJobs('recording-issues', ids))],
    );
    expect(new Set(paused.values())).toEqual(new Set([a.child.pid, b.child.pid]));
    await fixture.release('recording-issues');
    const ranBy = (w: typeof a): unknown[] => w.events.filter((e) => e.msg === 'job completed').map((e) => e.id);
    await waitFor(() => ranBy(a).length + ranBy(b).length >= 6, 120_000, 'six crawls', () => ({ a: ranBy(a), b: ranBy(b) }));
    expect((await fixture.queue.counts()).find((c) => c.kind === 'codebase-crawl')).toMatchObject({ completed: 6, failed: 0, waiting: 0 });
    expect(ranBy(a).length).toBeGreaterThan(0);
    expect(ranBy(b).length).toBeGreaterThan(0);
    expect([...ranBy(a), ...ranBy(b)].sort()).toEqual([...ids].sort());
    for (const project of projects) {
      const state = await integrity(fixture, project.id);
      expect(state).toMatchObject({ issues: state.distinctIssues, maxAppliedPerIssue: 1, appliedFixes: 4, stuck: 0 });
      expect(state.crawls.map((c) => c.status)).toEqual(['completed']);
    }
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(await b.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('a worker killed with SIGKILL while writing fixes: the other worker completes the job, nothing lost or written twice', async () => {
    const project = await fixture.project();
    await fixture.pauseAt('writing-fixes');
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    const victim = fixture.startWorker(['--concurrency', '1']);
    // The fault: the victim is inside the crawl's fix-writing phase when it dies.
    expect(await fixture.reached(job.id, 1, 'writing-fixes')).toBe(victim.child.pid);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await fixture.release('writing-fixes');
    const rescuer = fixture.startWorker(['--concurrency', '1']);
    const done = await finished(fixture, job.id);
    expect(done.state).toBe('completed');
    await rescuer.event((e) => e.msg === 'job completed' && e.id === job.id, 'the rescued job to complete');
    const state = await integrity(fixture, project.id);
    expect(state).toMatchObject({ issues: state.distinctIssues, maxAppliedPerIssue: 1, appliedFixes: 4, stuck: 0 });
    expect(state.crawls.map((c) => c.status)).toEqual(['failed', 'completed']);
    expect(state.crawls[0]?.error).toMatch(/interrupted; the job was retried/);
    // The fixed project is whole: its own tests still pass.
    expect((await run('node', ['--test', 'test/'], { cwd: project.rootPath })).code).toBe(0);
    rescuer.child.kill('SIGTERM');
    expect(await rescuer.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('a job that kills its worker twice is not handed to a third: it fails as stalled, and the next worker stays up', async () => {
    const project = await fixture.project();
    await fixture.pauseAt('writing-fixes');
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    // Two workers in turn die inside the job (as a project whose input crashes the process would make them).
    let lastVictim = 0;
    for (let round = 0; round < 2; round++) {
      const victim = fixture.startWorker(['--concurrency', '1']);
      lastVictim = victim.child.pid as number;
      await fixture.reached(job.id, 1, 'writing-fixes', 60_000, victim.child.pid);
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    }
    await fixture.release('writing-fixes');
    const third = fixture.startWorker(['--concurrency', '1']);
    const done = await finished(fixture, job.id);
    expect(done.state).toBe('failed');
    expect(done.failedReason).toMatch(/stalled/i);
    // The third worker gave up on it (BullMQ's stalled limit) without running the crawl again: the
    // phase was last entered by the second victim.
    expect(await third.event((e) => e.msg === 'job failed' && e.id === job.id, 'the stalled job to fail')).toMatchObject({ final: true });
    expect(await fixture.reached(job.id, 1, 'writing-fixes', 1_000, lastVictim)).toBe(lastVictim);
    expect(third.child.exitCode).toBeNull();
    // The third worker serves the next job as usual.
    const next = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: (await fixture.project()).id, apply: false });
    expect((await finished(fixture, next.id)).state).toBe('completed');
    third.child.kill('SIGTERM');
    expect(await third.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('a project whose .roach.yml once exhausted a worker (400,000 excludes) fails its job with the reason; the worker stays up and runs the next job', async () => {
    const bad = await fixture.project();
    await writeFile(path.join(bad.rootPath, '.roach.yml'), `exclude:\n${Array.from({ length: 400_000 }, (_, i) => `  - "generated/dir-${i}/"`).join('\n')}\n`);
    const worker = fixture.startWorker(['--concurrency', '1']);
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: bad.id, apply: true });
    const done = await finished(fixture, job.id);
    expect(done).toMatchObject({ state: 'failed', attemptsMade: 1 });
    expect(done.failedReason).toMatch(/over the 1048576-byte limit.*CR_ERR_CONFIG_INVALID/s);
    const next = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: (await fixture.project()).id, apply: false });
    expect((await finished(fixture, next.id)).state).toBe('completed');
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('PostgreSQL connections lost while fixes are written: the attempt fails, the job retries, nothing is lost or duplicated', async () => {
    const project = await fixture.project();
    await fixture.pauseAt('writing-fixes');
    const worker = fixture.startWorker(['--concurrency', '1']);
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    await fixture.reached(job.id, 1, 'writing-fixes');
    // The fault: every connection of the worker is cut (as a server restart or failover would)
    // while the attempt holds one in an open transaction.
    const pids = (await rows<{ pid: number }>(fixture.schema, 'SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`code-roach-worker/${fixture.schema}`])).map((r) => r.pid);
    const terminated = await rows<{ ok: boolean }>(fixture.schema, 'SELECT pg_terminate_backend(pid) AS ok FROM unnest($1::int[]) AS pid', [pids]);
    expect(terminated.filter((t) => t.ok).length).toBeGreaterThan(0);
    await fixture.release('writing-fixes');
    const failed = await worker.event((e) => e.msg === 'job failed' && e.id === job.id, 'the interrupted attempt to fail');
    expect(String(failed.reason)).toMatch(/connection (error|terminated)|terminating connection/i);
    expect(failed.final).toBe(false);
    // The recovery: the retry runs the phase again and completes.
    await fixture.reached(job.id, 2, 'writing-fixes', 90_000);
    const done = await finished(fixture, job.id);
    expect(done.state).toBe('completed');
    expect(done.attemptsMade).toBeGreaterThanOrEqual(2);
    const state = await integrity(fixture, project.id);
    expect(state).toMatchObject({ issues: state.distinctIssues, maxAppliedPerIssue: 1, appliedFixes: 4, stuck: 0 });
    expect(state.crawls.map((c) => c.status)).toEqual(['failed', 'completed']);
    expect((await run('node', ['--test', 'test/'], { cwd: project.rootPath })).code).toBe(0);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('critical jobs run first, then high, normal and low; webhooks arrive signed', async () => {
    const secret = 'a-webhook-secret-of-some-length';
    const received: { title: string; valid: boolean }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const [t, v1] = String(request.headers['x-roach-signature']).split(',').map((part) => part.split('=')[1]);
        const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
        received.push({ title: (JSON.parse(body) as { title: string }).title, valid: v1 === expected });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const plan: Priority[] = [];
      for (let i = 0; i < 40; i++) plan.push((['low', 'normal', 'low', 'high', 'low', 'critical', 'normal', 'low'] as const)[i % 8] as Priority);
      // Everything is queued before the only worker starts, so order is the queue's choice alone.
      for (const [n, priority] of plan.entries()) {
        await fixture.queue.enqueue(
          'notifications',
          { organizationId: fixture.org.id, event: 'test', title: `${priority}#${n}`, text: '', channels: [{ type: 'webhook', url }] },
          { priority },
        );
      }
      // The receiver is on loopback, which the SSRF guard refuses unless allowed.
      const worker = fixture.startWorker(['--concurrency', '1', '--queues', 'notifications'], { ROACH_WEBHOOK_SECRET: secret, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32' });
      await waitFor(() => received.length === plan.length, 120_000, 'all notifications', () => ({
        received: received.length,
        failures: worker.events.filter((e) => e.msg === 'job failed').slice(0, 3),
      }));
      const rank = { critical: 0, high: 1, normal: 2, low: 3 } as Record<string, number>;
      const order = received.map((r) => rank[r.title.split('#')[0] as string] as number);
      expect(order).toEqual([...order].sort((x, y) => x - y));
      expect(received.every((r) => r.valid)).toBe(true);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    } finally {
      server.close();
    }
  }, 180_000);

  it('on SIGTERM a worker finishes its running job before it exits', async () => {
    const project = await fixture.project();
    await fixture.pauseAt('writing-fixes');
    const worker = fixture.startWorker(['--concurrency', '1', '--shutdown-grace', '120000']);
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    await fixture.reached(job.id, 1, 'writing-fixes');
    // The signal arrives while the job is inside its fix-writing phase.
    worker.child.kill('SIGTERM');
    await worker.event((e) => e.msg === 'stopping: finishing running jobs', 'the worker to start stopping');
    expect((await fixture.queue.job('codebase-crawl', job.id))?.state).toBe('active');
    await fixture.release('writing-fixes');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const messages = worker.events.map((e) => (e.msg === 'job completed' && e.id === job.id ? 'completed' : e.msg));
    expect(messages.indexOf('completed')).toBeGreaterThan(messages.indexOf('stopping: finishing running jobs'));
    expect(await fixture.queue.job('codebase-crawl', job.id)).toMatchObject({ state: 'completed', attemptsMade: 1 });
    expect((await integrity(fixture, project.id)).crawls.map((c) => c.status)).toEqual(['completed']);
  }, 180_000);
});
