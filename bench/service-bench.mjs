#!/usr/bin/env node
// Service backbone benchmark (issue 4): jobs/s through BullMQ with 1, 2 and 4 worker processes next
// to the in-process queue, and findings upserted per second into PostgreSQL next to the embedded
// store (PGlite). Plain Node ESM over the compiled dist/ modules; see bench/README.md. Never part of
// `npm test`. Needs a real PostgreSQL and Redis; everything it creates there is removed at the end.
//
//   npm run build && npm run bench:service
//   node bench/service-bench.mjs [--jobs N] [--reference-jobs N] [--workers 1,2,4] [--findings N] [--no-queue] [--no-store] [--no-write]
import { cpuModel } from './machine.mjs';
import { fork, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { benchHandler, HASHES_PER_JOB } from './service-bench-worker.mjs';
import { writeResultsSection } from './results-file.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const DIST = path.join(ROOT, 'dist');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const WORKER = path.join(BENCH_DIR, 'service-bench-worker.mjs');
const SECTION_TITLE = 'Service backbone (issue 4)';

const USAGE = `usage: node bench/service-bench.mjs [options]   (run \`npm run build\` first)
  --database-url URL   PostgreSQL to measure (default $BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --redis-url URL      Redis for BullMQ (default $BENCH_REDIS_URL or redis://127.0.0.1:6379)
  --jobs N             jobs per queue configuration (default 15000)
  --reference-jobs N   jobs of the second, small in-process reference run, median of 3 (default 2000)
  --workers LIST       BullMQ worker-process counts (default 1,2,4)
  --concurrency N      jobs at once per worker process (default 5)
  --findings N         synthetic findings per store run (default 20000)
  --no-queue           skip the queue part
  --no-store           skip the store part
  --no-write           print the Markdown section, do not update bench/RESULTS.md
`;

function parseArgs(argv) {
  const options = {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    jobs: 15_000,
    referenceJobs: 2_000,
    workers: [1, 2, 4],
    concurrency: 5,
    findings: 20_000,
    queue: true,
    store: true,
    write: true,
  };
  const count = (flag, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} takes a positive integer, got "${value}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--database-url') options.databaseUrl = argv[++i];
    else if (arg === '--redis-url') options.redisUrl = argv[++i];
    else if (arg === '--jobs') options.jobs = count(arg, argv[++i]);
    else if (arg === '--reference-jobs') options.referenceJobs = count(arg, argv[++i]);
    else if (arg === '--workers') options.workers = String(argv[++i]).split(',').map((w) => count(arg, w));
    else if (arg === '--concurrency') options.concurrency = count(arg, argv[++i]);
    else if (arg === '--findings') options.findings = count(arg, argv[++i]);
    else if (arg === '--no-queue') options.queue = false;
    else if (arg === '--no-store') options.store = false;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}\n${USAGE}`);
  }
  return options;
}

function log(message) {
  process.stderr.write(`[service-bench] ${message}\n`);
}

const dist = (relative) => import(pathToFileURL(path.join(DIST, relative)).href);

// ---------------------------------------------------------------- what this run creates (and removes)

/** Everything the run creates outside its own memory; `cleanup` removes it all, success or not. */
const created = {
  schema: null,
  redisPrefix: null,
  tempDirs: new Set(),
  children: new Set(),
  closers: new Set(),
};

function maskUrl(url) {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

async function redisKeysUnder(client, prefix) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

let cleanupReport = null;
let cleanupRunning = null;

function cleanup(options) {
  cleanupRunning ??= (async () => {
    const report = { schema: null, redisKeys: null, errors: [] };
    for (const child of created.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const close of created.closers) await close().catch(() => undefined);
    if (created.redisPrefix) {
      const client = new Redis(options.redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        let keys = await redisKeysUnder(client, created.redisPrefix);
        for (let i = 0; i < keys.length; i += 1000) await client.unlink(...keys.slice(i, i + 1000));
        const removed = keys.length;
        keys = await redisKeysUnder(client, created.redisPrefix);
        report.redisKeys = { removed, left: keys.length };
      } catch (error) {
        report.errors.push(`Redis prefix ${created.redisPrefix}: ${error.message}`);
      } finally {
        client.disconnect();
      }
    }
    if (created.schema) {
      const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${created.schema}" CASCADE`);
        const [row] = (await client.query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [created.schema])).rows;
        report.schema = { dropped: created.schema, left: row.n };
      } catch (error) {
        report.errors.push(`PostgreSQL schema ${created.schema}: ${error.message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    for (const dir of created.tempDirs) await rm(dir, { recursive: true, force: true }).catch((error) => report.errors.push(`${dir}: ${error.message}`));
    cleanupReport = report;
    return report;
  })();
  return cleanupRunning;
}

// ---------------------------------------------------------------- machine

/** Busy and total CPU jiffies of the whole machine, from /proc/stat (null off Linux). */
function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** Busy share and busy CPU-seconds of the whole machine between two machineCpu() readings. */
function busyShare(before, after) {
  if (!before || !after || after.total === before.total) return null;
  return { share: (after.busy - before.busy) / (after.total - before.total), cpuS: (after.busy - before.busy) / CLOCK_TICKS };
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function redisCpuSeconds(redis) {
  const info = await redis.info('cpu');
  const value = (key) => Number(info.match(new RegExp(`^${key}:(\\S+)`, 'm'))?.[1] ?? NaN);
  return value('used_cpu_user') + value('used_cpu_sys');
}

// ---------------------------------------------------------------- queue

function jobInput(organizationId, projectId) {
  return { organizationId, projectId };
}

async function enqueueAll(queue, n, input) {
  const started = performance.now();
  const inFlight = 256;
  for (let i = 0; i < n; i += inFlight) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + inFlight); j++) batch.push(queue.enqueue('analysis', input, { priority: 'normal' }));
    await Promise.all(batch);
  }
  return performance.now() - started;
}

function analysisCounts(counts) {
  const c = counts.find((x) => x.kind === 'analysis');
  if (!c) throw new Error('queue.counts() has no analysis entry');
  return c;
}

async function inProcessRun(options, input, n) {
  const { createInProcessQueue } = await dist('queue/in-process-queue.js');
  const queue = createInProcessQueue();
  const enqueueMs = await enqueueAll(queue, n, input);
  const waiting = analysisCounts(await queue.counts()).waiting;
  if (waiting !== n) throw new Error(`in-process: ${waiting} jobs waiting after enqueueing ${n}`);
  let completed = 0;
  let failed = 0;
  let resolveDone;
  const done = new Promise((resolve) => {
    resolveDone = resolve;
  });
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const started = performance.now();
  const worker = queue.work(
    { analysis: benchHandler },
    {
      concurrency: options.concurrency,
      ratePerMinute: 1_000_000,
      onEvent: (event) => {
        if (event.type === 'completed') completed++;
        else if (event.type === 'failed') failed++;
        if (completed + failed === n) resolveDone();
      },
    },
  );
  const timeout = sleep(180_000, 'timeout', { ref: false });
  const outcome = await Promise.race([done, timeout]);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const machine = busyShare(machineBefore, machineCpu());
  await worker.close(1_000);
  await queue.close();
  if (outcome === 'timeout') throw new Error(`in-process: only ${completed} of ${n} jobs done after 180 s`);
  if (failed > 0) throw new Error(`in-process: ${failed} jobs failed`);
  return { label: `in-process, ${n} jobs`, inProcess: true, workers: 1, jobs: n, enqueueMs, wallMs, startMs: 0, completed, failed, workerCpuMs: (cpu.user + cpu.system) / 1000, redisCpuS: null, benchCpuMs: 0, machine };
}

function onceMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${child.pid}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message) => {
      if (message?.type !== type) return;
      cleanupListeners();
      resolve(message);
    };
    const onExit = (code, signal) => {
      cleanupListeners();
      reject(new Error(`worker ${child.pid} exited (${signal ?? code}) before "${type}"`));
    };
    const cleanupListeners = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function bullRun(options, redis, workers, input) {
  const { createBullQueue } = await dist('queue/bullmq-queue.js');
  const { describeQueueError } = await dist('queue/queue-errors.js');
  const prefix = `${created.redisPrefix}w${workers}`;
  const queue = createBullQueue({ redis, prefix, onError: (report) => process.stderr.write(`${describeQueueError(report)}\n`) });
  const closeQueue = () => queue.close();
  created.closers.add(closeQueue);
  const n = options.jobs;
  const enqueueMs = await enqueueAll(queue, n, input);
  const queued = analysisCounts(await queue.counts());
  if (queued.waiting !== n) throw new Error(`BullMQ: ${queued.waiting} jobs waiting after enqueueing ${n}`);

  const spawnedAt = performance.now();
  const children = [];
  for (let i = 0; i < workers; i++) {
    const child = fork(WORKER, [options.redisUrl, prefix, String(options.concurrency), '1000000'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    created.children.add(child);
    children.push(child);
  }
  await Promise.all(children.map((child) => onceMessage(child, 'ready', 30_000)));
  const startMs = performance.now() - spawnedAt;

  const redisCpuBefore = await redisCpuSeconds(redis);
  const machineBefore = machineCpu();
  const benchCpuBefore = process.cpuUsage();
  const goAt = Date.now();
  const goPerf = performance.now();
  for (const child of children) child.send({ type: 'go' });
  let polls = 0;
  let last;
  for (;;) {
    await sleep(25);
    last = analysisCounts(await queue.counts());
    polls++;
    if (last.waiting + last.active + last.delayed === 0) break;
    if (performance.now() - goPerf > 180_000) throw new Error(`BullMQ ${workers} workers: ${last.waiting + last.active + last.delayed} of ${n} jobs still pending after 180 s`);
  }
  const drainedMs = performance.now() - goPerf;
  const machine = busyShare(machineBefore, machineCpu());
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const redisCpuS = (await redisCpuSeconds(redis)) - redisCpuBefore;
  const results = await Promise.all(
    children.map((child) => {
      const answer = onceMessage(child, 'done', 15_000);
      child.send({ type: 'stop' });
      return answer;
    }),
  );
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  for (const child of children) created.children.delete(child);
  await queue.close();
  created.closers.delete(closeQueue);

  const completed = results.reduce((a, r) => a + r.completed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  if (failed > 0) throw new Error(`BullMQ ${workers} workers: ${failed} jobs failed, e.g. ${results.flatMap((r) => r.failures).slice(0, 2).join('; ')}`);
  if (completed !== n) throw new Error(`BullMQ ${workers} workers: workers report ${completed} completions for ${n} jobs`);
  const lastCompletedAt = Math.max(...results.map((r) => r.lastCompletedAt ?? goAt));
  return {
    label: `BullMQ, ${workers} worker process${workers > 1 ? 'es' : ''}`,
    workers,
    jobs: n,
    enqueueMs,
    // From "go" to the last completion any worker saw (Date.now() across processes, ms); the drain
    // poll (every 25 ms) only decides when to stop.
    wallMs: lastCompletedAt - goAt,
    drainedMs,
    polls,
    startMs,
    completed,
    failed,
    perWorker: results.map((r) => r.completed),
    workerCpuMs: results.reduce((a, r) => a + r.cpuMs, 0),
    redisCpuS,
    benchCpuMs: (benchCpu.user + benchCpu.system) / 1000,
    machine,
    completedKept: last.completed,
  };
}

/** CPU cost of the handler alone, called directly (no queue): microseconds per call. */
async function handlerMicros(input) {
  for (let i = 0; i < 500; i++) await benchHandler(input);
  const calls = 5000;
  const started = performance.now();
  for (let i = 0; i < calls; i++) await benchHandler(input);
  return ((performance.now() - started) * 1000) / calls;
}

async function queueBench(options) {
  const input = jobInput(randomUUID(), randomUUID());
  const runs = [];
  runs.handlerUs = await handlerMicros(input);
  log(`queue: the handler alone takes ${runs.handlerUs.toFixed(0)} µs per job`);
  log(`queue: in-process reference, ${options.jobs} jobs, concurrency ${options.concurrency}`);
  runs.push(await inProcessRun(options, input, options.jobs));
  log(`  ${(runs[0].jobs / (runs[0].wallMs / 1000)).toFixed(0)} jobs/s`);
  // The in-process queue slows down as its backlog grows (see bench/README.md), so it is also run
  // with a small backlog: the median of three runs.
  log(`queue: in-process reference, ${options.referenceJobs} jobs, 3 runs`);
  const small = [];
  for (let i = 0; i < 3; i++) small.push(await inProcessRun(options, input, options.referenceJobs));
  small.sort((a, b) => a.wallMs - b.wallMs);
  runs.push({ ...small[1], label: `in-process, ${options.referenceJobs} jobs (median of 3)`, small: true, allWallMs: small.map((r) => r.wallMs) });
  log(`  ${(runs[1].jobs / (runs[1].wallMs / 1000)).toFixed(0)} jobs/s`);
  const { connectQueueRedis } = await dist('queue/redis-connection.js');
  const redis = await connectQueueRedis(options.redisUrl);
  const closeRedis = async () => redis.disconnect();
  created.closers.add(closeRedis);
  try {
    for (const workers of options.workers) {
      log(`queue: BullMQ, ${workers} worker process(es) × concurrency ${options.concurrency}, ${options.jobs} jobs`);
      const run = await bullRun(options, redis, workers, input);
      log(`  ${(run.jobs / (run.wallMs / 1000)).toFixed(0)} jobs/s (${(run.wallMs / 1000).toFixed(2)} s; enqueue ${(run.enqueueMs / 1000).toFixed(2)} s)`);
      runs.push(run);
    }
  } finally {
    redis.disconnect();
    created.closers.delete(closeRedis);
  }
  return runs;
}

// ---------------------------------------------------------------- store

const RULES = [
  { ruleId: 'js/no-eval', severity: 'critical', category: 'security', cwe: 95, shape: 'eval ( $X )', message: 'eval() runs arbitrary code; parse the data instead.' },
  { ruleId: 'js/eqeqeq', severity: 'low', category: 'correctness', cwe: null, shape: '$A == $B', message: 'Use === and !== instead of == and != (null checks excepted).' },
  { ruleId: 'js/no-var', severity: 'low', category: 'style', cwe: null, shape: 'var $ID = $V', message: 'Use let or const instead of var.' },
  { ruleId: 'js/no-await-in-loop', severity: 'medium', category: 'performance', cwe: null, shape: 'await $CALL', message: 'await inside a loop runs the iterations one after another.' },
  { ruleId: 'js/no-empty-catch', severity: 'medium', category: 'correctness', cwe: 390, shape: 'catch ( $E ) { }', message: 'An empty catch block hides errors.' },
];
const FINDINGS_PER_FILE = 40;

/** N synthetic findings, FINDINGS_PER_FILE per file, built as test/store/pipeline-store.test.ts builds them. */
function syntheticFindings(n, issueFingerprint, patternFingerprint, lineShift = 0) {
  const findings = [];
  for (let i = 0; i < n; i++) {
    const rule = RULES[i % RULES.length];
    const file = `src/module${Math.floor(i / FINDINGS_PER_FILE)}/file${Math.floor(i / FINDINGS_PER_FILE)}.js`;
    const line = (i % FINDINGS_PER_FILE) * 7 + 3 + lineShift;
    const snippet = `${rule.shape.replace(/\$[A-Z]+/g, `v${i}`)} // call site ${i}`;
    findings.push({
      ruleId: rule.ruleId,
      severity: rule.severity,
      category: rule.category,
      cwe: rule.cwe,
      message: rule.message,
      file,
      language: 'javascript',
      range: { startLine: line, startColumn: 4, endLine: line, endColumn: 4 + snippet.length, startOffset: line * 40 + 4, endOffset: line * 40 + 4 + snippet.length },
      snippet,
      fingerprint: issueFingerprint(rule.ruleId, file, snippet.split(/\s+/).join(' '), 0),
      patternFingerprint: patternFingerprint(rule.ruleId, rule.shape),
      shape: rule.shape,
      bindings: {},
      templateFix: null,
    });
  }
  return findings;
}

/** The database with every statement through the SqlClient seam counted (inside transactions too). */
function counting(db) {
  const counter = { statements: 0 };
  const wrap = (client) => ({
    query: (sql, params) => {
      counter.statements++;
      return client.query(sql, params);
    },
    exec: (sql) => {
      counter.statements++;
      return client.exec(sql);
    },
    transaction: (work) => client.transaction((tx) => work(wrap(tx))),
  });
  return { db: { kind: db.kind, ...wrap(db), close: () => db.close() }, counter };
}

async function timed(counter, work) {
  const before = counter.statements;
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started, statements: counter.statements - before };
}

async function storeRun(options, backend, modules) {
  const { openPostgres, openPglite, migrate, createPipelineStore, issueFingerprint, patternFingerprint } = modules;
  const n = options.findings;
  const findings = syntheticFindings(n, issueFingerprint, patternFingerprint);
  const moved = syntheticFindings(n, issueFingerprint, patternFingerprint, 1); // same issues, one line lower
  const files = [...new Set(findings.map((f) => f.file))];

  const openStarted = performance.now();
  let raw;
  let where;
  if (backend === 'postgres') {
    created.schema ??= `roach_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    raw = await openPostgres({ connectionString: options.databaseUrl, schema: created.schema, applicationName: 'code-roach-bench' });
    where = `schema ${created.schema}`;
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roach-bench-pglite-'));
    created.tempDirs.add(dir);
    raw = await openPglite(dir);
    where = `file-backed, ${dir}`;
  }
  const closeRaw = () => raw.close();
  created.closers.add(closeRaw);
  try {
    const openMs = performance.now() - openStarted;
    const migrateStarted = performance.now();
    await migrate(raw);
    const migrateMs = performance.now() - migrateStarted;
    const { db, counter } = counting(raw);
    const store = createPipelineStore(db);
    const project = await store.ensureProject('/bench/x', 'x');

    const crawl1 = await store.startCrawl(project, {});
    const insert = await timed(counter, () => store.upsertIssues(project, crawl1, findings));
    if (insert.value.size !== n) throw new Error(`${backend}: upsertIssues returned ${insert.value.size} ids for ${n} findings`);
    await store.finishCrawl(project, crawl1, { findings: n });

    const crawl2 = await store.startCrawl(project, {});
    const update = await timed(counter, () => store.upsertIssues(project, crawl2, moved));
    if (update.value.size !== n) throw new Error(`${backend}: re-crawl upsert returned ${update.value.size} ids for ${n} findings`);
    const sameIds = [...insert.value].every(([fp, id]) => update.value.get(fp) === id);
    if (!sameIds) throw new Error(`${backend}: the re-crawl gave some issues new ids`);
    const resolveNone = await timed(counter, () => store.resolveMissingIssues(project, crawl2, files));
    if (resolveNone.value !== 0) throw new Error(`${backend}: resolveMissingIssues resolved ${resolveNone.value} issues that the crawl saw`);
    await store.finishCrawl(project, crawl2, { findings: n });

    // A crawl that finds nothing any more in the same files: every issue is resolved.
    const crawl3 = await store.startCrawl(project, {});
    const resolveAll = await timed(counter, () => store.resolveMissingIssues(project, crawl3, files));
    if (resolveAll.value !== n) throw new Error(`${backend}: resolveMissingIssues resolved ${resolveAll.value} of ${n} issues`);
    await store.finishCrawl(project, crawl3, { findings: 0 });

    const [row] = await raw.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'resolved')::int AS resolved FROM code_roach_issues`);
    if (row.n !== n || row.resolved !== n) throw new Error(`${backend}: ${row.n} rows (${row.resolved} resolved) in code_roach_issues, expected ${n}`);

    // Batched: one statement per 1,000 rows plus the tenant set-up, never one per row.
    const limit = (rows) => Math.ceil(rows / 1000) + 3;
    for (const [what, t, rows] of [
      ['first insert', insert, n],
      ['re-crawl upsert', update, n],
      ['resolve (nothing missing)', resolveNone, files.length],
      ['resolve (all missing)', resolveAll, files.length],
    ]) {
      if (t.statements > limit(rows)) throw new Error(`${backend}: ${what} took ${t.statements} statements (> ${limit(rows)}): not batched`);
    }
    return { backend, where, n, files: files.length, openMs, migrateMs, insert, update, resolveNone, resolveAll };
  } finally {
    await raw.close().catch(() => undefined);
    created.closers.delete(closeRaw);
  }
}

async function storeBench(options) {
  const modules = {
    ...(await dist('store/postgres.js')),
    ...(await dist('store/pglite.js')),
    ...(await dist('store/migrate.js')),
    ...(await dist('store/pipeline-store.js')),
    ...(await dist('domain/fingerprint.js')),
  };
  const runs = {};
  for (const backend of ['postgres', 'pglite']) {
    log(`store: ${backend}, ${options.findings} findings`);
    const run = await storeRun(options, backend, modules);
    log(`  insert ${rate(run.n, run.insert.ms)} rows/s, re-crawl ${rate(run.n, run.update.ms)} rows/s, resolve all ${rate(run.n, run.resolveAll.ms)} rows/s`);
    runs[backend] = run;
  }
  return runs;
}

// ---------------------------------------------------------------- report

const sec = (ms) => (ms / 1000).toFixed(2);
const rate = (n, ms) => (n / (ms / 1000)).toFixed(0);
const times = (a, b) => `${(a / b).toFixed(2)}×`;
const pct = (machine) => (machine ? `${(machine.share * 100).toFixed(0)} %` : '?');

function markdown(env, options, queueRuns, storeRuns, totalMs) {
  const lines = [];
  lines.push(`## ${env.date}: ${SECTION_TITLE}`, '');
  lines.push(`Written by \`npm run bench:service\` (bench/service-bench.mjs; see bench/README.md). Rerun: \`npm run build && npm run bench:service\`.`, '');
  lines.push(`- Machine: ${env.cpu}, \`nproc\` = ${env.nproc}, ${env.memGiB} GiB RAM; Node ${env.node}; ${env.os}. 1-minute load average before the run: ${env.loadBefore}.`);
  lines.push(`- Services on the same machine: ${env.postgres}; Redis ${env.redis}. BullMQ ${env.bullmq}, ioredis ${env.ioredis}, pg ${env.pg}, PGlite ${env.pglite}.`);
  lines.push(`- Whole run: ${sec(totalMs)} s. Everything created was removed: ${env.cleanup}.`);
  lines.push('');
  if (queueRuns) {
    const ref = queueRuns.find((r) => r.inProcess && !r.small);
    const smallRef = queueRuns.find((r) => r.small);
    const jps = (r) => r.jobs / (r.wallMs / 1000);
    lines.push(`### Jobs per second (${options.jobs} \`analysis\` jobs per configuration)`, '');
    lines.push(
      `Each job: payload checked by the catalogue's zod schema on enqueue and on take, then SHA-256 of 1 KiB ${HASHES_PER_JOB} times: ${queueRuns.handlerUs.toFixed(0)} µs per job called directly, so the figures are queue overhead. ` +
        `All ${options.jobs} jobs are enqueued first (\`queue.enqueue('analysis', …, { priority: 'normal' })\`, 256 in flight; not timed in jobs/s), then the workers start. ` +
        `Worker processes are separate \`node bench/service-bench-worker.mjs\` processes, each \`queue.work({ analysis }, { concurrency: ${options.concurrency}, ratePerMinute: 1000000 })\`; ` +
        `they load and connect first, then all get "go" at once: wall is from "go" to the last job completed (Node start-up excluded, shown apart). ` +
        `The in-process reference ("peer") runs \`createInProcessQueue()\` in the bench's own process with the same handler and concurrency ${options.concurrency}.`,
    );
    lines.push('');
    lines.push(
      'Worker CPU: CPU time of the worker processes from "go" to their exit (in-process: the bench process while it ran the jobs). Redis CPU: from its `INFO cpu`, same window. ' +
        'CPU per job: worker + Redis + the bench process polling `counts()`, ÷ jobs. Machine busy: share of all cores busy during the run (/proc/stat); ' +
        '"other processes": busy CPU-s of the machine not accounted for by those (more than a few CPU-s means the run shared the cores).',
    );
    lines.push('');
    lines.push(
      `| Configuration | Jobs | Wall (s) | Jobs/s | ÷ in-process (${options.jobs} jobs) | ÷ in-process (${options.referenceJobs} jobs) | Enqueue (jobs/s) | Worker CPU (s) | Redis CPU (s) | CPU per job (ms) | Machine busy | Notes |`,
    );
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of queueRuns) {
      const ours = r.workerCpuMs / 1000 + (r.redisCpuS ?? 0) + r.benchCpuMs / 1000;
      const others = r.machine ? `other processes ${Math.max(0, r.machine.cpuS - ours).toFixed(1)} CPU-s` : 'other load unknown';
      const notes = r.small
        ? `one process, no Redis; the three runs took ${r.allWallMs.map(sec).join(' / ')} s; ${others}`
        : r.inProcess
          ? `one process, no Redis; ${others}`
          : `per worker ${r.perWorker.join(' / ')} jobs; processes ready ${sec(r.startMs)} s after spawn (not counted); bench process (polling \`counts()\` every 25 ms) ${(r.benchCpuMs / 1000).toFixed(1)} CPU-s; ${others}`;
      lines.push(
        `| ${r.label} | ${r.jobs} | ${sec(r.wallMs)} | ${jps(r).toFixed(0)} | ${times(jps(r), jps(ref))} | ${smallRef ? times(jps(r), jps(smallRef)) : '–'} | ${rate(r.jobs, r.enqueueMs)} | ${(r.workerCpuMs / 1000).toFixed(1)} | ${r.redisCpuS === null ? '–' : r.redisCpuS.toFixed(1)} | ${((ours * 1000) / r.jobs).toFixed(2)} | ${pct(r.machine)} | ${notes} |`,
      );
    }
    lines.push('');
    const bull = queueRuns.filter((r) => !r.inProcess);
    const first = bull[0];
    if (first && bull.length > 1) {
      lines.push(`Scaling: ${bull.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''} ${times(jps(r), jps(first))}`).join(', ')} of the 1-worker rate.`);
      lines.push('');
    }
    const short = queueRuns.filter((r) => !r.small && r.wallMs < 5000);
    if (short.length) lines.push(`Note: ${short.map((r) => r.label).join(', ')} ran under 5 s; raise \`--jobs\` for steadier figures.`, '');
  }
  if (storeRuns) {
    const { postgres: p, pglite: l } = storeRuns;
    const n = p?.n ?? l?.n;
    lines.push(`### Findings stored per second (${n} findings, ${p?.files ?? l?.files} files)`, '');
    lines.push(
      `Synthetic findings (5 rules, ${FINDINGS_PER_FILE} per file, fingerprints from \`dist/domain/fingerprint.js\`), through \`createPipelineStore(db)\` after \`migrate(db)\`: ` +
        `PostgreSQL in a schema of its own (\`openPostgres({ connectionString, schema })\`, pool of 10), PGlite file-backed in a temporary directory (\`openPglite(dir)\`, as the embedded mode). ` +
        `First insert: \`upsertIssues\` of all findings into an empty project; re-crawl: the same issues again one line lower (every row updated, ids kept); ` +
        `resolve: \`resolveMissingIssues\` over all ${p?.files ?? l?.files} files, once after the re-crawl (nothing missing: 0 resolved) and once from a crawl that found nothing (all ${n} resolved). ` +
        `Statements: every \`query\`/\`exec\` through the SqlClient seam, inside transactions included (the driver's BEGIN/COMMIT not counted); the run fails if a step takes more than ⌈rows/1000⌉ + 3.`,
    );
    lines.push('');
    lines.push('| Step | PostgreSQL (s) | PostgreSQL rows/s | PGlite (s) | PGlite rows/s | PostgreSQL ÷ PGlite (rows/s) | Statements (PG / PGlite) |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const step = (label, key, rows) =>
      lines.push(
        `| ${label} | ${sec(p[key].ms)} | ${rows === null ? '–' : rate(rows, p[key].ms)} | ${sec(l[key].ms)} | ${rows === null ? '–' : rate(rows, l[key].ms)} | ${times(l[key].ms, p[key].ms)} | ${p[key].statements} / ${l[key].statements} |`,
      );
    if (p && l) {
      step(`\`upsertIssues\`, first insert (${n} new rows)`, 'insert', n);
      step(`\`upsertIssues\`, re-crawl (${n} rows updated)`, 'update', n);
      step(`\`resolveMissingIssues\`, nothing missing (${n} rows checked, 0 resolved)`, 'resolveNone', null);
      step(`\`resolveMissingIssues\`, all missing (${n} rows resolved)`, 'resolveAll', n);
      lines.push('');
      lines.push(`Open + migrate (not in the table): PostgreSQL ${sec(p.openMs)} s + ${sec(p.migrateMs)} s; PGlite ${sec(l.openMs)} s + ${sec(l.migrateMs)} s (from the build's template cluster).`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function serverVersions(options) {
  const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5000 });
  let postgres;
  try {
    await client.connect();
    postgres = (await client.query('SHOW server_version')).rows[0].server_version;
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${maskUrl(options.databaseUrl)}: ${error.message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(options.redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('server');
    return { postgres: `PostgreSQL ${postgres}`, redis: info.match(/^redis_version:(\S+)/m)?.[1] ?? '?' };
  } catch (error) {
    throw new Error(`Redis is not reachable at ${maskUrl(options.redisUrl)}: ${error.message}`, { cause: error });
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  for (const file of ['queue/bullmq-queue.js', 'queue/in-process-queue.js', 'store/pipeline-store.js', 'pglite-template.tar.gz']) {
    if (!existsSync(path.join(DIST, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
  }
  const versions = await serverVersions(options);
  const env = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpuModel(),
    nproc: os.availableParallelism(),
    memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadBefore: os.loadavg()[0].toFixed(2),
    ...versions,
    bullmq: packageVersion('bullmq'),
    ioredis: packageVersion('ioredis'),
    pg: packageVersion('pg'),
    pglite: packageVersion('@electric-sql/pglite'),
  };
  created.redisPrefix = `roach_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}_`;

  let queueRuns = null;
  let storeRuns = null;
  try {
    if (options.queue) queueRuns = await queueBench(options);
    if (options.store) storeRuns = await storeBench(options);
  } finally {
    const report = await cleanup(options);
    log(`cleanup: ${JSON.stringify(report)}`);
  }
  const c = cleanupReport;
  if (c.errors.length) throw new Error(`cleanup failed: ${c.errors.join('; ')}`);
  env.cleanup = [
    c.redisKeys ? `${c.redisKeys.removed} Redis keys under the run's prefix (${c.redisKeys.left} left)` : null,
    c.schema ? `PostgreSQL schema \`${c.schema.dropped}\` (${c.schema.left ? 'still there!' : 'gone'})` : null,
    created.tempDirs.size ? 'the PGlite temporary directory' : null,
  ]
    .filter(Boolean)
    .join(', ');
  const section = markdown(env, options, queueRuns, storeRuns, performance.now() - started);
  process.stdout.write(`${section}\n`);
  if (options.write) {
    await writeResultsSection(RESULTS_MD, section, `## ${env.date}: ${SECTION_TITLE}`);
    log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
  }
  log(`total ${sec(performance.now() - started)} s`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    cleanup(parseArgs(process.argv.slice(2))).finally(() => process.exit(130));
  });
}

main().catch((error) => {
  process.stderr.write(`[service-bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
