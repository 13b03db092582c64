#!/usr/bin/env node
// The servers of the REST API benchmark (bench/api-bench.mjs), in a process of their own so that
// autocannon (in the bench's process) does not share their event loop: the real app (`buildApp` over
// PostgreSQL, from dist/) and a bare Fastify app with one route answering the same pages from memory.
// Forked with an IPC channel; not meant to be run by hand.
//
//   node bench/api-bench-server.mjs <database-url> <schema>
//
// Messages in: { type: 'pages', pages: [[url, body], …] } (what the bare route serves),
// { type: 'stats' }, { type: 'explain', requests: [{ label, url }], authorization },
// { type: 'breakdown', authorization, organizationId, projectId, url, iterations }, { type: 'close' }. Out: { type: 'ready', realPort, barePort }, and one answer per request.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = (relative) => import(pathToFileURL(path.join(ROOT, 'dist', relative)).href);

const [databaseUrl, schema] = process.argv.slice(2);
if (!databaseUrl || !schema || !process.send) {
  process.stderr.write('usage: forked by bench/api-bench.mjs with <database-url> <schema>\n');
  process.exit(2);
}

/**
 * The database with every statement through the SqlClient seam counted, and, while `recording` is an
 * array, written down (text, parameters, which transaction), so the bench can list and EXPLAIN exactly
 * what one request runs. Round trips = queries + execs + 2 per transaction (the driver's BEGIN/COMMIT).
 */
function instrument(db) {
  const counter = { queries: 0, execs: 0, transactions: 0 };
  const state = { recording: null, transactions: 0 };
  const wrap = (client, tx) => ({
    query: (sql, params) => {
      counter.queries++;
      state.recording?.push({ kind: 'query', sql, params: params ?? [], tx });
      return client.query(sql, params);
    },
    exec: (sql) => {
      counter.execs++;
      state.recording?.push({ kind: 'exec', sql, tx });
      return client.exec(sql);
    },
    transaction: (work) => {
      if (tx !== null) return client.transaction((inner) => work(wrap(inner, tx))); // nested: the same transaction
      counter.transactions++;
      const id = ++state.transactions;
      return client.transaction((inner) => work(wrap(inner, id)));
    },
  });
  return { db: { kind: db.kind, ...wrap(db, null), close: () => db.close() }, counter, state };
}

const { openPostgres } = await dist('store/postgres.js');
const { createTenantStore } = await dist('store/tenant-store.js');
const { createPipelineStore } = await dist('store/pipeline-store.js');
const { buildApp } = await dist('api/app.js');
const { createMetrics } = await dist('api/metrics.js');
const { createDeveloperStore } = await dist('store/developer-store.js');
const { createInProcessQueue } = await dist('queue/in-process-queue.js');
const { createMemoryCache } = await dist('cache/memory-cache.js');
const { loadEnvironment } = await dist('config/environment.js');
const { hashApiKey } = await dist('api/auth.js');
const issuesRepository = await dist('store/repositories/issues.js');

// As src/main/service.ts opens it: one pool of ROACH_DB_POOL_MAX connections (default 10). The rate
// limit is lifted so that it never answers 429 (it is still checked on every request).
const settings = loadEnvironment({ ROACH_RATE_LIMIT: '100000000' });
const raw = await openPostgres({ connectionString: databaseUrl, schema, maxConnections: 10, applicationName: 'code-roach-bench-api' });
const { db, counter, state } = instrument(raw);
const queue = createInProcessQueue();
const real = await buildApp(
  {
    tenants: createTenantStore(db),
    pipeline: createPipelineStore(db),
    developers: createDeveloperStore(db),
    queue,
    cache: createMemoryCache(),
    settings: settings.api,
    outbound: settings.outbound,
    // As roach serve: every request is timed into the metrics histogram.
    metrics: { collector: createMetrics({ queue }), token: null },
    health: async () => {
      try {
        await raw.query('SELECT 1');
        return { database: { ok: true } };
      } catch {
        return { database: { ok: false } };
      }
    },
  },
  { logger: false },
);
await real.listen({ host: '127.0.0.1', port: 0 });

// The peer: the same fastify package, one route, the page the real API answered for this URL.
const pages = new Map();
const bare = Fastify({ logger: false });
bare.get('/api/code-roach/issues', async (request, reply) => {
  const page = pages.get(request.url);
  if (page === undefined) return reply.status(404).send({ error: { code: 'CR_ERR_NOT_FOUND', message: `not preloaded: ${request.url}` } });
  return page;
});
await bare.listen({ host: '127.0.0.1', port: 0 });

/** Rolls back whatever `work` did: EXPLAIN ANALYZE runs the statement, and one of them writes. */
class Rollback extends Error {}
async function rolledBack(work) {
  let value;
  try {
    await raw.transaction(async (tx) => {
      value = await work(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return value;
}

/** Every statement one request runs, each EXPLAIN (ANALYZE, BUFFERS)'d as it ran (same role, same settings). */
async function explain(requests, authorization) {
  const out = [];
  for (const { label, url } of requests) {
    state.recording = [];
    const response = await real.inject({ method: 'GET', url, headers: { authorization } });
    const recorded = state.recording;
    state.recording = null;
    const statements = [];
    // Replayed transaction by transaction: statements outside one each get their own.
    const groups = [];
    for (const s of recorded) {
      const last = groups.at(-1);
      if (s.tx !== null && last && last.tx === s.tx) last.items.push(s);
      else groups.push({ tx: s.tx, items: [s] });
    }
    for (const group of groups) {
      await rolledBack(async (tx) => {
        for (const s of group.items) {
          if (s.kind === 'exec') {
            await tx.exec(s.sql);
            statements.push({ sql: s.sql, params: [], tx: s.tx, plan: null });
          } else {
            const rows = await tx.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
            statements.push({ sql: s.sql, params: s.params, tx: s.tx, plan: rows.map((r) => r['QUERY PLAN']) });
          }
        }
      });
    }
    out.push({ label, url, status: response.statusCode, statements });
  }
  return out;
}

/**
 * Where the time of one request goes, one call at a time (no concurrency): each step of the real
 * request on its own, next to the whole request through Fastify's inject (no socket) on both apps.
 */
async function breakdown({ authorization, organizationId, projectId, url, iterations }) {
  const tenants = createTenantStore(raw);
  const project = { organizationId, projectId };
  const keyHash = hashApiKey(authorization.replace(/^Bearer /, ''));
  const page = await tenants.pageIssues(project, { limit: 50, cursor: null });
  const steps = [
    ['auth: `tenants.useApiKey(hash)` (1 round trip)', () => tenants.useApiKey(keyHash)],
    ['`tenants.organizationOfProject(id)` (1 round trip)', () => tenants.organizationOfProject(projectId)],
    ['`tenants.pageIssues` first page: `withTenant` transaction (BEGIN, SET LOCAL ROLE + set_config, SELECT, COMMIT: 4 round trips)', () => tenants.pageIssues(project, { limit: 50, cursor: null })],
    ['the same page query alone, no transaction, no tenant role (superuser: no row-level security; 1 round trip)', () => issuesRepository.pageIssues(raw, project, { limit: 50, cursor: null })],
    ['`SELECT 1` (1 round trip: the floor of any statement)', () => raw.query('SELECT 1')],
    ['`JSON.stringify` of the page (what serialising costs)', async () => JSON.stringify(page)],
    ['whole request, real app, `app.inject` (no socket)', () => real.inject({ method: 'GET', url, headers: { authorization } })],
    ['whole request, bare app, `app.inject` (no socket)', () => bare.inject({ method: 'GET', url, headers: { authorization } })],
  ];
  const out = [];
  for (const [label, step] of steps) {
    for (let i = 0; i < Math.min(50, iterations); i++) await step();
    const times = [];
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      await step();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out.push({ label, p50: times[Math.floor(times.length / 2)], mean: times.reduce((a, b) => a + b, 0) / times.length });
  }
  return out;
}

async function close() {
  await Promise.allSettled([real.close(), bare.close()]);
  await queue.close().catch(() => undefined);
  await raw.close().catch(() => undefined);
}

process.on('message', async (message) => {
  try {
    if (message.type === 'pages') {
      for (const [url, body] of message.pages) pages.set(url, body);
      process.send({ type: 'pages', count: pages.size });
    } else if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      process.send({ type: 'stats', counter: { ...counter }, cpuMs: (cpu.user + cpu.system) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20 });
    } else if (message.type === 'explain') {
      process.send({ type: 'explain', results: await explain(message.requests, message.authorization) });
    } else if (message.type === 'breakdown') {
      process.send({ type: 'breakdown', steps: await breakdown(message) });
    } else if (message.type === 'close') {
      await close();
      process.send({ type: 'closed' });
      process.exit(0);
    }
  } catch (error) {
    process.send({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
process.on('disconnect', () => {
  close().finally(() => process.exit(0));
});

process.send({ type: 'ready', realPort: real.server.address().port, barePort: bare.server.address().port, pid: process.pid });
