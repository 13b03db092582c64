import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, instrumentJobHandlers } from '../../src/api/metrics.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { startWorker } from '../../src/main/run-worker.js';
import type { JobContext } from '../../src/queue/ports.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { REPO_ROOT } from '../helpers/project.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const TOKEN = 'metrics-token-0123456789';
let app: FastifyInstance;
let db: Database;

beforeAll(async () => {
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_METRICS_TOKEN: TOKEN }));
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('Prometheus metrics', () => {
  it('serves /metrics only with the metrics token, with request durations by route pattern and queue depth', async () => {
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('m').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${jwt}` } });
    await app.inject({ url: '/api/code-roach/organizations/00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${jwt}` } });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    // An API token or JWT is not the metrics token.
    expect((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${jwt}` } })).statusCode).toBe(401);
    const scraped = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers['content-type']).toMatch(/text\/plain/);
    expect(scraped.body).toContain('roach_http_request_duration_seconds_count{method="GET",route="/api/code-roach/organizations",status="200"} 1');
    // The route pattern, never the id: the series count stays bounded.
    expect(scraped.body).toContain('route="/api/code-roach/organizations/:org",status="404"');
    expect(scraped.body).not.toContain('00000000-0000-4000');
    expect(scraped.body).toMatch(/roach_queue_depth\{queue="codebase-crawl",state="waiting"\} 0/);
  });

  it('is not served at all without a configured token', async () => {
    const bare = await testApi({ JWT_SECRET: SECRET });
    try {
      expect((await bare.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await bare.app.close();
      await bare.db.close();
    }
  });

  it('counts jobs by queue and outcome, crawl durations and issue counts', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const handlers = instrumentJobHandlers(
      {
        'codebase-crawl': async () => ({
          durationMs: 1500,
          openIssues: { total: 7 },
          resolvedIssues: 2,
          llm: { model: 'openai:gpt-4o-mini', calls: 3, cached: 2, failed: 1, inputTokens: 1200, outputTokens: 90, costUsd: 0.25, unpriced: 0 },
        }),
        notifications: async () => {
          throw new Error('receiver down');
        },
      },
      metrics,
    );
    const context = {} as JobContext;
    await handlers['codebase-crawl']?.({ organizationId: 'o', projectId: 'p', apply: false, generateFixes: true } as never, context);
    await expect(handlers.notifications?.({} as never, context)).rejects.toThrow('receiver down');
    const text = await metrics.registry.metrics();
    expect(text).toContain('roach_jobs_total{queue="codebase-crawl",outcome="completed"} 1');
    expect(text).toContain('roach_jobs_total{queue="notifications",outcome="failed"} 1');
    expect(text).toContain('roach_crawl_duration_seconds_sum{queue="codebase-crawl"} 1.5');
    expect(text).toContain('roach_findings_total{kind="open"} 7');
    expect(text).toContain('roach_findings_total{kind="resolved"} 2');
    expect(text).toContain('roach_llm_calls_total{outcome="asked"} 3');
    expect(text).toContain('roach_llm_calls_total{outcome="cached"} 2');
    expect(text).toContain('roach_llm_calls_total{outcome="failed"} 1');
    expect(text).toContain('roach_llm_tokens_total{kind="input"} 1200');
    expect(text).toContain('roach_llm_cost_usd_total 0.25');
  });

  it('is served by roach worker on its own internal listener (--metrics-port), token-protected', async () => {
    if (!(await postgresAvailable()) || !(await redisAvailable())) return;
    const schema = uniqueSchema();
    const prefix = uniquePrefix().slice(0, -1);
    const env = loadEnvironment({
      DATABASE_URL: POSTGRES_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      ROACH_REDIS_PREFIX: prefix,
      ROACH_METRICS_TOKEN: TOKEN,
    });
    const worker = await startWorker(env, { queues: ['notifications'], concurrency: 1, ratePerMinute: 10, graceMs: 1000, metricsPort: 0, onEvent: () => undefined });
    try {
      expect(worker.metricsAddress).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(worker.metricsAddress as string)).status).toBe(401);
      const response = await fetch(worker.metricsAddress as string, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('roach_queue_depth{queue="notifications",state="waiting"} 0');
      expect(text).toContain('roach_process_cpu_seconds_total');
    } finally {
      await worker.stop();
      await dropSchema(schema);
      await cleanupPrefix(prefix);
    }
  }, 60_000);

  it('roach worker --metrics-port prints where its metrics are and serves them until SIGTERM', async () => {
    if (!(await postgresAvailable()) || !(await redisAvailable())) return;
    const schema = uniqueSchema();
    const prefix = uniquePrefix().slice(0, -1);
    const env = { ...process.env, DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, REDIS_URL, ROACH_REDIS_PREFIX: prefix };
    const worker = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'roach.js'), 'worker', '--queues', 'notifications', '--metrics-port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    worker.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    worker.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => worker.on('exit', resolve));
    try {
      const address = await waitFor(() => /metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(log)?.[1], 30_000, 'the metrics listener');
      const text = await (await fetch(address)).text();
      expect(text).toContain('roach_queue_depth{queue="notifications",state="waiting"} 0');
    } finally {
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
      await dropSchema(schema);
      await cleanupPrefix(prefix);
    }
  }, 60_000);
});
