import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Priority } from '../../src/domain/priority.js';
import { cleanupTemp, run } from '../helpers/project.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { redisAvailable } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { openServiceFixture, rows } from './service-fixture.js';
import type { ServiceFixture } from './service-fixture.js';

const available = (await postgresAvailable()) && (await redisAvailable());

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

describe.skipIf(!available)('roach worker processes on PostgreSQL and Redis', () => {
  let fixture: ServiceFixture;
  beforeAll(async () => {
    fixture = await openServiceFixture();
  });
  afterAll(async () => {
    await fixture?.close();
    await cleanupTemp();
  });

  it('two workers share one queue: every job runs once, across both', async () => {
    const projects = await Promise.all(Array.from({ length: 6 }, () => fixture.project()));
    const jobs = [];
    for (const project of projects) {
      jobs.push(await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true }));
    }
    const a = fixture.startWorker(['--concurrency', '1']);
    const b = fixture.startWorker(['--concurrency', '1']);
    const ranBy = (w: typeof a): unknown[] => w.events.filter((e) => e.msg === 'job completed').map((e) => e.id);
    await waitFor(() => ranBy(a).length + ranBy(b).length >= 6, 90_000, 'six crawls');
    expect((await fixture.queue.counts()).find((c) => c.kind === 'codebase-crawl')).toMatchObject({ completed: 6, failed: 0, waiting: 0 });
    expect(ranBy(a).length).toBeGreaterThan(0);
    expect(ranBy(b).length).toBeGreaterThan(0);
    expect([...ranBy(a), ...ranBy(b)].sort()).toEqual(jobs.map((j) => j.id).sort());
    for (const project of projects) {
      const state = await integrity(fixture, project.id);
      expect(state).toMatchObject({ issues: state.distinctIssues, maxAppliedPerIssue: 1, appliedFixes: 4, stuck: 0 });
      expect(state.crawls.map((c) => c.status)).toEqual(['completed']);
    }
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 120_000);

  it('a worker killed with SIGKILL mid-job: the other worker completes the job, nothing lost or written twice', async () => {
    const project = await fixture.project({ slowCheckSeconds: 3 });
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    const victim = fixture.startWorker(['--concurrency', '1']);
    await waitFor(async () => (await rows(fixture.schema, `SELECT id FROM crawls WHERE project_id = $1 AND status = 'running'`, [project.id])).length > 0, 30_000, 'the crawl to start');
    victim.child.kill('SIGKILL');
    await victim.exited;
    const rescuer = fixture.startWorker(['--concurrency', '1']);
    const done = await waitFor(async () => {
      const info = await fixture.queue.job('codebase-crawl', job.id);
      return info?.state === 'completed' || info?.state === 'failed' ? info : undefined;
    }, 60_000, 'the job to finish');
    expect(done.state).toBe('completed');
    expect(rescuer.events.some((e) => e.msg === 'job completed' && e.id === job.id)).toBe(true);
    const state = await integrity(fixture, project.id);
    expect(state).toMatchObject({ issues: state.distinctIssues, maxAppliedPerIssue: 1, appliedFixes: 4, stuck: 0 });
    expect(state.crawls.map((c) => c.status)).toEqual(['failed', 'completed']);
    expect(state.crawls[0]?.error).toMatch(/interrupted; the job was retried/);
    // The fixed project is whole: its own tests still pass.
    expect((await run('node', ['--test', 'test/'], { cwd: project.rootPath })).code).toBe(0);
    rescuer.child.kill('SIGTERM');
    expect(await rescuer.exited).toBe(0);
  }, 120_000);

  it('PostgreSQL connections lost during a crawl: the job retries and nothing is lost or duplicated', async () => {
    const project = await fixture.project({ slowCheckSeconds: 1 });
    const worker = fixture.startWorker(['--concurrency', '1']);
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    await waitFor(async () => (await fixture.queue.job('codebase-crawl', job.id))?.state === 'active', 30_000, 'the job to start');
    // Cut the worker's connections (as a server restart or failover would) until an attempt fails.
    const kill = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`;
    await waitFor(async () => {
      await rows(fixture.schema, kill, [`code-roach-worker/${fixture.schema}`]);
      return worker.events.some((e) => e.msg === 'job failed' && e.id === job.id);
    }, 60_000, 'a failed attempt');
    const done = await waitFor(async () => {
      const info = await fixture.queue.job('codebase-crawl', job.id);
      return info?.state === 'completed' || info?.state === 'failed' ? info : undefined;
    }, 60_000, 'the retried job to finish');
    expect(done.state).toBe('completed');
    expect(done.attemptsMade).toBeGreaterThanOrEqual(2);
    const state = await integrity(fixture, project.id);
    expect(state).toMatchObject({ issues: state.distinctIssues, maxAppliedPerIssue: 1, appliedFixes: 4, stuck: 0 });
    expect(state.crawls.at(-1)?.status).toBe('completed');
    expect(state.crawls.filter((c) => c.status === 'running')).toEqual([]);
    expect((await run('node', ['--test', 'test/'], { cwd: project.rootPath })).code).toBe(0);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 150_000);

  it('under load, critical jobs run first, then high, normal and low; webhooks arrive signed', async () => {
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
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const plan: Priority[] = [];
    for (let i = 0; i < 40; i++) plan.push((['low', 'normal', 'low', 'high', 'low', 'critical', 'normal', 'low'] as const)[i % 8] as Priority);
    for (const [n, priority] of plan.entries()) {
      await fixture.queue.enqueue(
        'notifications',
        { organizationId: fixture.org.id, event: 'test', title: `${priority}#${n}`, text: '', channels: [{ type: 'webhook', url }] },
        { priority },
      );
    }
    fixture.env.ROACH_WEBHOOK_SECRET = secret;
    // The receiver is on loopback, which the SSRF guard refuses unless allowed.
    fixture.env.ROACH_OUTBOUND_ALLOW = '127.0.0.1/32';
    const worker = fixture.startWorker(['--concurrency', '1', '--queues', 'notifications']);
    delete fixture.env.ROACH_WEBHOOK_SECRET;
    delete fixture.env.ROACH_OUTBOUND_ALLOW;
    await waitFor(() => received.length === plan.length, 60_000, 'all notifications');
    server.close();
    const rank = { critical: 0, high: 1, normal: 2, low: 3 } as Record<string, number>;
    const order = received.map((r) => rank[r.title.split('#')[0] as string] as number);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(received.every((r) => r.valid)).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 90_000);

  it('on SIGTERM a worker finishes its running job before it exits', async () => {
    const project = await fixture.project({ slowCheckSeconds: 2 });
    const worker = fixture.startWorker(['--concurrency', '1', '--shutdown-grace', '60000']);
    const job = await fixture.queue.enqueue('codebase-crawl', { organizationId: fixture.org.id, projectId: project.id, apply: true });
    await waitFor(async () => (await fixture.queue.job('codebase-crawl', job.id))?.state === 'active', 30_000, 'the job to start');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await fixture.queue.job('codebase-crawl', job.id)).toMatchObject({ state: 'completed', attemptsMade: 1 });
  }, 90_000);
});
