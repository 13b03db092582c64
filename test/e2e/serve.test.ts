import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, copyFixture, REPO_ROOT, roach, tempDir } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';

afterAll(cleanupTemp);

describe('roach serve (embedded store, in-process jobs)', () => {
  it('bootstraps with an API key, registers a project, crawls it through the API and streams the progress', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    const project = await copyFixture('sample-app');
    const secret = 'webhook-signing-secret-for-tests';
    const env = { DATABASE_URL: '', REDIS_URL: '', ROACH_DATA_DIR: dataDir, ROACH_WORKSPACE_ROOTS: path.dirname(project), PORT: '0', ROACH_WEBHOOK_SECRET: secret, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32', ROACH_METRICS_TOKEN: 'metrics-token-for-the-e2e-test' };
    const received: { body: string; signature: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ body, signature: String(request.headers['x-roach-signature']) });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await roach(['api-key', 'bootstrap'], { env });
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const auth = { authorization: `Bearer ${key}` };

    const server = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'roach.js'), 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    server.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      const base = await waitFor(() => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1], 30_000, 'the server to listen');
      const call = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(`${base}${url}`, { ...init, headers: { 'content-type': 'application/json', ...auth, ...(init.headers ?? {}) } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] } };
      };
      expect((await call('/readyz')).body).toMatchObject({ status: 'ready', database: { kind: 'pglite', ok: true } });
      const orgs = await call('/api/code-roach/organizations');
      const orgId = orgs.body.items?.[0]?.id as string;
      expect(orgs.body.items?.[0]).toMatchObject({ slug: 'local', role: 'admin' });
      const registered = await call(`/api/code-roach/organizations/${orgId}/projects`, { method: 'POST', body: JSON.stringify({ name: 'sample', path: project }) });
      expect(registered.status).toBe(201);
      const projectId = registered.body.id as string;

      const crawl = await call('/api/code-roach/crawl', { method: 'POST', body: JSON.stringify({ projectId, apply: true }) });
      expect(crawl.status).toBe(202);
      const stream = await fetch(`${base}/api/code-roach/status/stream?kind=codebase-crawl&jobId=${crawl.body.jobId}`, { headers: auth });
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      const events = await stream.text();
      expect(events).toMatch(/event: completed\ndata: \{.*"state":"completed"/);
      const status = await call(`/api/code-roach/status?kind=codebase-crawl&jobId=${crawl.body.jobId}`);
      expect(status.body).toMatchObject({ state: 'completed', result: { fixes: { applied: 4 }, openIssues: { total: 5 } } });

      // The embedded server's own worker is instrumented: the crawl shows in the metrics (token only).
      expect((await fetch(`${base}/metrics`, { headers: auth })).status).toBe(401);
      const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-the-e2e-test' } })).text();
      expect(metrics).toContain('roach_jobs_total{queue="codebase-crawl",outcome="completed"} 1');
      expect(metrics).toContain('roach_crawl_duration_seconds_count{queue="codebase-crawl"} 1');
      expect(metrics).toContain('roach_findings_total{kind="open"} 5');
      expect(metrics).toMatch(/roach_http_request_duration_seconds_count\{method="POST",route="\/api\/code-roach\/crawl",status="202"\} 1/);

      const issues = await call(`/api/code-roach/issues?projectId=${projectId}&status=open&severity=critical,medium&limit=2`);
      expect(issues.body.items).toHaveLength(2);
      expect(issues.body.nextCursor).toEqual(expect.any(String));
      const rest = await call(`/api/code-roach/issues?projectId=${projectId}&status=open&severity=critical,medium&limit=2&cursor=${String(issues.body.nextCursor)}`);
      expect(rest.body.items?.length).toBeGreaterThan(0);
      const queued = await call(`/api/code-roach/review?projectId=${projectId}`);
      expect(queued.body.items?.length).toBe(3);
      const analytics = await call(`/api/code-roach/analytics?projectId=${projectId}`);
      expect(analytics.body).toMatchObject({
        issues: [{ total: 5, bySeverity: { critical: 0, medium: 4 } }],
        fixes: expect.arrayContaining([expect.objectContaining({ status: 'applied', count: 4 }), expect.objectContaining({ status: 'pending', count: 3 })]),
        strategies: [{ strategy: 'rule-template', succeeded: 4, failed: 0, successRate: 1 }],
      });
      expect((analytics.body.health as { files: number }[])[0]?.files).toBeGreaterThan(0);
      const health = await call(`/api/code-roach/file-health?projectId=${projectId}&limit=1`);
      expect(health.body.items?.[0]).toMatchObject({ filePath: 'src/legacy.js' });
      const patterns = await call(`/api/code-roach/organizations/${orgId}/patterns`);
      expect(patterns.body.items?.length).toBeGreaterThan(0);

      const channel = await call(`/api/code-roach/organizations/${orgId}/channels`, { method: 'POST', body: JSON.stringify({ name: 'ops', type: 'webhook', url: hook }) });
      expect(channel.status).toBe(201);
      // Stored sealed, shown masked: the path (where Slack keeps its token) never comes back.
      expect(channel.body).toMatchObject({ url: `${new URL(hook).protocol}//${new URL(hook).host}/***`, signed: false });
      const sent = await call('/api/code-roach/notifications/send', {
        method: 'POST',
        body: JSON.stringify({ organizationId: orgId, event: 'crawl.completed', title: 'Crawl done', text: '5 open issues', severity: 'high' }),
      });
      expect(sent).toMatchObject({ status: 202, body: { channels: 1 } });
      const delivery = await waitFor(() => received[0], 60_000, 'the webhook delivery');
      expect(JSON.parse(delivery.body)).toMatchObject({ event: 'crawl.completed', title: 'Crawl done', severity: 'high', organizationId: orgId });
      const [t, v1] = delivery.signature.split(',').map((part) => part.split('=')[1]);
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex'));
    } finally {
      receiver.close();
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
