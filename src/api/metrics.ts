import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../queue/ports.js';
import type { JobHandlers } from '../queue/ports.js';

/**
 * The process's Prometheus metrics, in its own registry (no module-level default registry, so a test
 * or a second server in one process counts separately).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly jobs: Counter<'queue' | 'outcome'>;
  readonly jobDuration: Histogram<'queue'>;
  readonly crawlDuration: Histogram<'queue'>;
  readonly findings: Counter<'kind'>;
  /** Generated fixes (issue 15): calls by outcome, tokens by kind, and USD spent. */
  readonly llmCalls: Counter<'outcome'>;
  readonly llmTokens: Counter<'kind'>;
  readonly llmCost: Counter;
}

/** `queue`: whose depth the queue_depth gauge reports at each scrape (omitted: no gauge). */
export function createMetrics(options: { queue?: JobQueue; processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'roach_' });
  const queue = options.queue;
  if (queue) {
    new Gauge({
      name: 'roach_queue_depth',
      help: 'Jobs per queue and state, read from the queue at each scrape.',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const counts of await queue.counts()) {
          for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ queue: counts.kind, state }, counts[state]);
        }
      },
    });
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'roach_http_request_duration_seconds',
      help: 'API request duration by route pattern (never the raw URL, so ids do not explode the series) and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobs: new Counter({ name: 'roach_jobs_total', help: 'Jobs finished by queue and outcome (completed, failed).', labelNames: ['queue', 'outcome'], registers: [registry] }),
    jobDuration: new Histogram({
      name: 'roach_job_duration_seconds',
      help: 'Job run time by queue.',
      labelNames: ['queue'],
      buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    crawlDuration: new Histogram({
      name: 'roach_crawl_duration_seconds',
      help: 'Crawl duration (codebase-crawl and analysis jobs).',
      labelNames: ['queue'],
      buckets: [0.5, 1, 5, 15, 60, 300, 1800, 3600],
      registers: [registry],
    }),
    findings: new Counter({ name: 'roach_findings_total', help: 'Issues reported by crawls: open after the crawl, resolved by it.', labelNames: ['kind'], registers: [registry] }),
    llmCalls: new Counter({ name: 'roach_llm_calls_total', help: 'Calls for generated fixes by outcome: asked (answered or failed), answered from kept answers, failed.', labelNames: ['outcome'], registers: [registry] }),
    llmTokens: new Counter({ name: 'roach_llm_tokens_total', help: 'Tokens of calls for generated fixes, by kind (input: prompt, output: completion).', labelNames: ['kind'], registers: [registry] }),
    llmCost: new Counter({ name: 'roach_llm_cost_usd_total', help: 'USD spent on calls for generated fixes (calls of models without a known price count 0).', registers: [registry] }),
  };
}

/** A crawl's calls for generated fixes, added to the counters. */
function countLlm(metrics: Metrics, llm: unknown): void {
  if (llm === null || typeof llm !== 'object') return;
  const stats = llm as Partial<Record<'calls' | 'cached' | 'failed' | 'inputTokens' | 'outputTokens' | 'costUsd', number>>;
  metrics.llmCalls.inc({ outcome: 'asked' }, stats.calls ?? 0);
  metrics.llmCalls.inc({ outcome: 'cached' }, stats.cached ?? 0);
  metrics.llmCalls.inc({ outcome: 'failed' }, stats.failed ?? 0);
  metrics.llmTokens.inc({ kind: 'input' }, stats.inputTokens ?? 0);
  metrics.llmTokens.inc({ kind: 'output' }, stats.outputTokens ?? 0);
  metrics.llmCost.inc(stats.costUsd ?? 0);
}

/** Counts every job (completed/failed, run time) and, for crawls, their duration and issue counts. */
export function instrumentJobHandlers(handlers: JobHandlers, metrics: Metrics): JobHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [kind, handler] of Object.entries(handlers) as [keyof JobHandlers, ((payload: never, context: never) => Promise<Record<string, unknown>>) | undefined][]) {
    if (!handler) continue;
    wrapped[kind] = async (payload: never, context: never) => {
      const stop = metrics.jobDuration.startTimer({ queue: kind });
      try {
        const result = await handler(payload, context);
        metrics.jobs.inc({ queue: kind, outcome: 'completed' });
        if (typeof result.durationMs === 'number') metrics.crawlDuration.observe({ queue: kind }, result.durationMs / 1000);
        const open = (result.openIssues as { total?: unknown } | undefined)?.total;
        if (typeof open === 'number') metrics.findings.inc({ kind: 'open' }, open);
        if (typeof result.resolvedIssues === 'number') metrics.findings.inc({ kind: 'resolved' }, result.resolvedIssues);
        countLlm(metrics, result.llm);
        return result;
      } catch (error) {
        metrics.jobs.inc({ queue: kind, outcome: 'failed' });
        throw error;
      } finally {
        stop();
      }
    };
  }
  return wrapped;
}

/** Whether an Authorization header carries the metrics token (compared in constant time). */
export function metricsAuthorized(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A metrics-only listener for `roach worker --metrics-port`: bound to 127.0.0.1 unless told otherwise
 * (an internal listener), and token-protected too when ROACH_METRICS_TOKEN is set.
 */
export async function serveMetrics(metrics: Metrics, options: { host: string; port: number; token: string | null }): Promise<{ address: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (options.token && !metricsAuthorized(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (error: unknown) => response.writeHead(500).end((error as Error).message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    address: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
