#!/usr/bin/env node
// REST API benchmark (issue 5): requests per second and p50/p99 latency of GET /api/code-roach/issues
// on a PostgreSQL database holding 1,000,000 issues, measured with autocannon in the same run as a
// bare Fastify route answering the same pages from memory; the ratio is the figure. Plain Node ESM
// over the compiled dist/ modules; see bench/README.md. Never part of `npm test`. Everything it
// creates in PostgreSQL (one schema) is removed at the end, also when a step fails or on Ctrl-C.
//
//   npm run build && npm run bench:api
//   node bench/api-bench.mjs [--rows N] [--duration S] [--warmup S] [--connections N] [--deep-pages N] [--no-write]
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuModel } from './machine.mjs';
import { writeResultsSection } from './results-file.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const DIST = path.join(ROOT, 'dist');
const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');
const SERVER = path.join(BENCH_DIR, 'api-bench-server.mjs');
const ISSUES_PATH = '/api/code-roach/issues';
const PAGE = 50;
const BREAKDOWN_ITERATIONS = 500;

const USAGE = `usage: node bench/api-bench.mjs [options]   (run \`npm run build\` first)
  --database-url URL   PostgreSQL to use (default $BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --rows N             issues in the project (default 1000000)
  --duration S         seconds measured per scenario and server (default 15)
  --warmup S           seconds of load before each measurement, not counted (default 3)
  --connections N      autocannon connections (default 10)
  --deep-pages N       cursors spread over the whole listing for the deep-page scenario (default 200)
  --no-write           print the Markdown section, do not update bench/RESULTS.md
`;

function parseArgs(argv) {
  const options = {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    rows: 1_000_000,
    duration: 15,
    warmup: 3,
    connections: 10,
    deepPages: 200,
    write: true,
  };
  const count = (flag, value, min = 1) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} takes a whole number of at least ${min}, got "${value}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--database-url') options.databaseUrl = argv[++i];
    else if (arg === '--rows') options.rows = count(arg, argv[++i], 1000);
    else if (arg === '--duration') options.duration = count(arg, argv[++i]);
    else if (arg === '--warmup') options.warmup = count(arg, argv[++i], 0);
    else if (arg === '--connections') options.connections = count(arg, argv[++i]);
    else if (arg === '--deep-pages') options.deepPages = count(arg, argv[++i]);
    else if (arg === '--no-write') options.write = false;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}\n${USAGE}`);
  }
  if (options.rows < (options.deepPages + 2) * PAGE) throw new Error(`--rows must be at least (--deep-pages + 2) × ${PAGE}`);
  return options;
}

function log(message) {
  process.stderr.write(`[api-bench] ${message}\n`);
}

const dist = (relative) => import(pathToFileURL(path.join(DIST, relative)).href);

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------- what this run creates (and removes)

const created = { schema: null, child: null, closers: new Set() };
let cleanupRunning = null;

function cleanup(options) {
  cleanupRunning ??= (async () => {
    const report = { schema: null, errors: [] };
    const child = created.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        child.send({ type: 'close' });
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    for (const close of created.closers) await close().catch(() => undefined);
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
    return report;
  })();
  return cleanupRunning;
}

// ---------------------------------------------------------------- machine

const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

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

function busyShare(before, after) {
  if (!before || !after || after.total === before.total) return null;
  return { share: (after.busy - before.busy) / (after.total - before.total), cpuS: ((after.busy - before.busy) / CLK_TCK) };
}

/** CPU seconds of one process from /proc/<pid>/stat (user + system), null when it is gone or unreadable. */
function processCpuS(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the data

/**
 * Twenty weighted slots of real rule ids from src/rules/javascript: 2 critical (10 %), 4 high (20 %),
 * 6 medium (30 %), 8 low (40 %). A row's slot is a hash of its number, so severities interleave.
 */
const RULE_SLOTS = [
  ['js/no-eval', 'critical', 'security', 95, '`eval()` runs a computed string as code: anyone who controls any part of it can run code in this process.', 'eval(input', ')'],
  ['js/no-exec-dynamic-command', 'critical', 'security', 78, 'Shell command built from variables is passed to `exec`: shell metacharacters in the data run as commands.', 'exec(`git log ${ref', '}`)'],
  ['js/no-inner-html', 'high', 'security', 79, 'Computed value assigned to `innerHTML`/`outerHTML`: any markup in the data is parsed and run as HTML.', 'el.innerHTML = html', ''],
  ['js/no-hardcoded-credentials', 'high', 'security', 798, 'Credential hard-coded in source: anyone with access to the code (or its history) can use it.', "const password = 'hunter", "'"],
  ['js/no-async-foreach', 'high', 'bug', null, '`forEach` with an async callback does not wait for the callbacks: the code after it runs before they finish.', 'items.forEach(async (item', ') => save(item))'],
  ['js/no-dupe-keys', 'high', 'bug', null, 'Duplicate key in an object literal: the later property silently overwrites the earlier one.', '{ id: a, name: b, id: c', ' }'],
  ['js/no-new-buffer', 'medium', 'security', 119, '`new Buffer()` is deprecated and unsafe: use `Buffer.from`, `Buffer.alloc` or `Buffer.allocUnsafe`.', 'new Buffer(size', ')'],
  ['js/no-negative-length-check', 'medium', 'bug', 570, 'A length is never negative, so this comparison is always false.', 'if (list.length < 0', ') return'],
  ['js/no-non-null-asserted-optional-chain', 'medium', 'bug', 476, 'A non-null assertion after an optional chain throws away the check the chain made.', 'user?.profile', '!.name'],
  ['js/no-non-null-asserted-optional-chain', 'medium', 'bug', 476, 'A non-null assertion after an optional chain throws away the check the chain made.', 'config?.server', '!.port'],
  ['js/no-index-of-greater-than-zero', 'medium', 'bug', 193, '`indexOf(...) > 0` misses a match at index 0; compare with `!== -1` or use `includes`.', 'if (names.indexOf(n', ') > 0)'],
  ['js/no-index-of-greater-than-zero', 'medium', 'bug', 193, '`indexOf(...) > 0` misses a match at index 0; compare with `!== -1` or use `includes`.', 'path.indexOf(sep', ') > 0'],
  ['js/radix', 'low', 'bug', null, 'Pass the radix to `parseInt`, or strings with a leading 0 or 0x are read in another base.', 'parseInt(value', ')'],
  ['js/radix', 'low', 'bug', null, 'Pass the radix to `parseInt`, or strings with a leading 0 or 0x are read in another base.', 'parseInt(req.query.page', ')'],
  ['js/prefer-exponentiation-operator', 'low', 'style', null, 'Use the `**` operator instead of `Math.pow`.', 'Math.pow(base', ', 2)'],
  ['js/prefer-exponentiation-operator', 'low', 'style', null, 'Use the `**` operator instead of `Math.pow`.', 'Math.pow(2, bits', ')'],
  ['js/no-useless-catch', 'low', 'maintainability', null, 'This catch block only rethrows the error it caught: remove the try/catch.', 'catch (e', ') { throw e }'],
  ['js/no-useless-catch', 'low', 'maintainability', null, 'This catch block only rethrows the error it caught: remove the try/catch.', 'catch (error', ') { throw error }'],
  ['js/no-empty-interface', 'low', 'maintainability', 1164, 'An empty interface is the same as `{}`: use a type alias or add members.', 'interface Props', ' {}'],
  ['js/no-empty-interface', 'low', 'maintainability', 1164, 'An empty interface is the same as `{}`: use a type alias or add members.', 'interface State', ' {}'],
];
const ISSUES_PER_FILE = 40;
const ROWS_PER_TIMESTAMP = 500; // one crawl's upsert gives a whole batch the same now(): ties the keyset breaks by id

/**
 * One INSERT … SELECT FROM generate_series: every issue open or resolved (15 %), a few pending review,
 * 40 per file over 8 areas, distinct fingerprints (32 hex characters like the real ones), pattern
 * fingerprints per rule and shape, created_at in groups of 500 spread over the last 60 days (newest
 * last). $1 project, $2 crawl, $3 the rule slots as JSON.
 */
function insertSql(rows) {
  return `INSERT INTO code_roach_issues (project_id, fingerprint, pattern_fingerprint, file_path, line, column_number, end_line, end_column,
      error_type, error_message, error_severity, category, cwe, snippet, status, review_status, first_seen_crawl_id, last_seen_crawl_id,
      created_at, updated_at, resolved_at, resolved_by)
    SELECT $1::uuid, md5('issue:' || g), md5('pattern:' || r.rule || ':' || (g % 7)),
      'packages/' || (ARRAY['api','core','web','worker','cli','shared','auth','billing'])[1 + (g / ${ISSUES_PER_FILE}) % 8]
        || '/src/module' || ((g / ${ISSUES_PER_FILE}) % 97) || '/file' || (g / ${ISSUES_PER_FILE})
        || (ARRAY['.ts','.tsx','.js','.mjs'])[1 + (g / ${ISSUES_PER_FILE}) % 4],
      h.line, 1 + g % 30, h.line + g % 3, 21 + g % 30,
      r.rule, r.msg, r.sev, r.cat, r.cwe, r.pre || (g % 1000) || r.post,
      CASE WHEN h.rs < 15 THEN 'resolved' ELSE 'open' END,
      CASE WHEN h.rs BETWEEN 15 AND 16 THEN 'pending' ELSE 'none' END,
      $2::uuid, $2::uuid, t.at, t.at,
      CASE WHEN h.rs < 15 THEN least(t.at + interval '1 day', now()) END,
      CASE WHEN h.rs < 15 THEN 'crawl' END
    FROM generate_series(0, ${rows - 1}) AS g
    CROSS JOIN LATERAL (SELECT abs(hashtext('slot:' || g)) % 20 AS slot, abs(hashtext('status:' || g)) % 100 AS rs,
                               1 + abs(hashtext('line:' || g)) % 900 AS line) AS h
    JOIN jsonb_to_recordset($3::jsonb) AS r(slot int, rule text, sev text, cat text, cwe int, msg text, pre text, post text) ON r.slot = h.slot
    CROSS JOIN LATERAL (SELECT now() - interval '60 days'
                               + (g / ${ROWS_PER_TIMESTAMP}) * (interval '60 days' / ${Math.ceil(rows / ROWS_PER_TIMESTAMP)}) AS at) AS t`;
}

/** What the table's indexes and constraints are, to check they are exactly back after the load. */
async function tableShape(client) {
  const indexes = (await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'code_roach_issues' ORDER BY indexname`)).rows;
  const constraints = (
    await client.query(
      `SELECT conname, conrelid::regclass::text AS rel, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE (conrelid = 'code_roach_issues'::regclass AND contype IN ('p', 'u')) OR (confrelid = 'code_roach_issues'::regclass AND contype = 'f')
       ORDER BY conname`,
    )
  ).rows;
  return { indexes, constraints };
}

/**
 * Fills code_roach_issues fast: as a superuser, without the table's indexes, key constraints and
 * foreign-key triggers during the one INSERT … SELECT, then puts back exactly the same indexes and
 * constraints (checked) and builds them from the sorted data. Without superuser rights: one plain
 * INSERT (slower).
 */
async function loadIssues(client, options, projectId, crawlId) {
  const rules = JSON.stringify(RULE_SLOTS.map(([rule, sev, cat, cwe, msg, pre, post], slot) => ({ slot, rule, sev, cat, cwe, msg, pre, post })));
  const [{ rolsuper }] = (await client.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows;
  const before = await tableShape(client);
  const timings = {};
  let started = performance.now();
  if (!rolsuper) {
    log('  not a superuser: one plain INSERT with every index and trigger in place (slow)');
    await client.query(insertSql(options.rows), [projectId, crawlId, rules]);
    timings.insertMs = performance.now() - started;
    return { fast: false, timings };
  }
  const constraintIndexes = new Set(
    (await client.query(`SELECT conindid::regclass::text AS name FROM pg_constraint WHERE conrelid = 'code_roach_issues'::regclass AND contype IN ('p', 'u')`)).rows.map((r) => r.name),
  );
  const plainIndexes = before.indexes.filter((i) => !constraintIndexes.has(i.indexname));
  const order = { u: 0, p: 1, f: 2 }; // added back in this order (the foreign key needs the primary key), dropped in reverse
  const constraints = [...before.constraints].sort((a, b) => order[a.contype] - order[b.contype]);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL session_replication_role = replica`); // no FK triggers: every row names the one project and crawl
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const index of plainIndexes) await client.query(`DROP INDEX "${index.indexname}"`);
    for (const c of [...constraints].reverse()) await client.query(`ALTER TABLE ${c.rel} DROP CONSTRAINT "${c.conname}"`);
    started = performance.now();
    await client.query(insertSql(options.rows), [projectId, crawlId, rules]);
    timings.insertMs = performance.now() - started;
    started = performance.now();
    for (const c of constraints) await client.query(`ALTER TABLE ${c.rel} ADD CONSTRAINT "${c.conname}" ${c.def}`);
    for (const index of plainIndexes) await client.query(index.indexdef);
    timings.indexMs = performance.now() - started;
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const after = await tableShape(client);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    throw new Error(`code_roach_issues does not have the same indexes and constraints after the load:\nbefore ${JSON.stringify(before)}\nafter ${JSON.stringify(after)}`);
  }
  // What the skipped foreign-key triggers would have checked.
  const [orphans] = (
    await client.query(
      `SELECT count(*)::int AS n FROM code_roach_issues i
       WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = i.project_id)
          OR NOT EXISTS (SELECT 1 FROM crawls c WHERE c.id = i.first_seen_crawl_id)
          OR NOT EXISTS (SELECT 1 FROM crawls c WHERE c.id = i.last_seen_crawl_id)`,
    )
  ).rows;
  if (orphans.n !== 0) throw new Error(`${orphans.n} issues reference a missing project or crawl`);
  return { fast: true, timings, indexes: before.indexes.length };
}

async function setUp(options) {
  const { openPostgres } = await dist('store/postgres.js');
  const { migrate } = await dist('store/migrate.js');
  const { createTenantStore } = await dist('store/tenant-store.js');
  const { createPipelineStore } = await dist('store/pipeline-store.js');
  const { newApiKey } = await dist('api/auth.js');

  created.schema = `roach_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres({ connectionString: options.databaseUrl, schema: created.schema, applicationName: 'code-roach-bench-api-setup' });
  const closeDb = () => db.close();
  created.closers.add(closeDb);
  const client = new pg.Client({ connectionString: options.databaseUrl, options: `-c search_path="${created.schema}"`, application_name: 'code-roach-bench-api-load' });
  await client.connect();
  const closeClient = () => client.end();
  created.closers.add(closeClient);
  try {
    let started = performance.now();
    await migrate(db);
    const migrateMs = performance.now() - started;
    const tenants = createTenantStore(db);
    const pipeline = createPipelineStore(db);
    const organization = await tenants.ensureOrganization('bench-api', 'API benchmark');
    const project = await tenants.registerProject(organization.id, '/bench/api/monorepo', 'monorepo');
    const ref = { organizationId: organization.id, projectId: project.id };
    const crawlId = await pipeline.startCrawl(ref, {});
    const apiKey = newApiKey();
    await tenants.createApiKey({ organizationId: organization.id, name: 'api-bench', prefix: apiKey.prefix, keyHash: apiKey.keyHash, role: 'viewer', projectIds: [], createdBy: null });

    log(`loading ${options.rows} issues into schema ${created.schema}`);
    const load = await loadIssues(client, options, project.id, crawlId);
    await pipeline.finishCrawl(ref, crawlId, { findings: options.rows });
    started = performance.now();
    // What autovacuum would have done to a table this size by now: visibility map, hint bits, statistics.
    await client.query('VACUUM (ANALYZE) code_roach_issues');
    await client.query('ANALYZE');
    load.timings.vacuumMs = performance.now() - started;
    const [stats] = (
      await client.query(
        `SELECT count(*)::int AS n, count(DISTINCT fingerprint)::int AS fingerprints, count(DISTINCT file_path)::int AS files,
                count(DISTINCT error_type)::int AS rules, count(DISTINCT created_at)::int AS timestamps,
                count(*) FILTER (WHERE error_severity = 'critical')::int AS critical, count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
                pg_size_pretty(pg_table_size('code_roach_issues')) AS heap, pg_size_pretty(pg_indexes_size('code_roach_issues')) AS indexes
         FROM code_roach_issues WHERE project_id = $1`,
        [project.id],
      )
    ).rows;
    if (stats.n !== options.rows || stats.fingerprints !== options.rows) throw new Error(`loaded ${stats.n} issues (${stats.fingerprints} fingerprints), expected ${options.rows}`);
    log(`  ${stats.n} issues, ${stats.files} files, ${stats.rules} rules, ${stats.critical} critical, ${stats.resolved} resolved; heap ${stats.heap}, indexes ${stats.indexes}`);
    log(`  insert ${(load.timings.insertMs / 1000).toFixed(1)} s, indexes ${((load.timings.indexMs ?? 0) / 1000).toFixed(1)} s, VACUUM ANALYZE ${(load.timings.vacuumMs / 1000).toFixed(1)} s`);
    return { organization, project, apiKey, load, stats, migrateMs };
  } finally {
    await client.end().catch(() => undefined);
    created.closers.delete(closeClient);
    await db.close().catch(() => undefined);
    created.closers.delete(closeDb);
  }
}

// ---------------------------------------------------------------- the servers (bench/api-bench-server.mjs)

function onceMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the server process sent no "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message) => {
      if (message?.type === type) finish(null, message);
      else if (message?.type === 'error') finish(new Error(`server process: ${message.message}`));
    };
    const onExit = (code, signal) => finish(new Error(`the server process exited (${signal ?? code}) before "${type}"`));
    function finish(error, value) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function ask(child, message, answer, timeoutMs = 60_000) {
  const reply = onceMessage(child, answer, timeoutMs);
  child.send(message);
  return reply;
}

// ---------------------------------------------------------------- checks before timing

const encodeCursor = (created, id) => Buffer.from(JSON.stringify([created, id])).toString('base64url');

async function getJson(base, url, authorization) {
  const response = await globalThis.fetch(`${base}${url}`, { headers: authorization ? { authorization } : {} });
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // left null: the checks below say what came back
  }
  return { status: response.status, text, body };
}

/**
 * The URLs of the three scenarios, each checked against the database before anything is timed, and
 * the page each answers (what the bare route will serve).
 */
async function scenarios(options, setup, realBase, authorization) {
  const client = new pg.Client({ connectionString: options.databaseUrl, options: `-c search_path="${created.schema}"`, application_name: 'code-roach-bench-api-check' });
  await client.connect();
  try {
    const projectId = setup.project.id;
    const base = `${ISSUES_PATH}?projectId=${projectId}&limit=${PAGE}`;
    const ids = (page) => page.items.map((item) => item.id);
    const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

    const anonymous = await getJson(realBase, base, null);
    if (anonymous.status !== 401) throw new Error(`GET ${base} without a key answered ${anonymous.status}, expected 401`);

    // First page: 200, 50 items, a cursor, exactly the 50 newest issues.
    const first = await getJson(realBase, base, authorization);
    if (first.status !== 200) throw new Error(`GET ${base} answered ${first.status}: ${first.text.slice(0, 300)}`);
    if (first.body?.items?.length !== PAGE || typeof first.body.nextCursor !== 'string') {
      throw new Error(`first page: ${first.body?.items?.length} items, nextCursor ${first.body?.nextCursor}; expected ${PAGE} and a cursor`);
    }
    const newest = (await client.query(`SELECT id, created_at::text AS created FROM code_roach_issues WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${PAGE}`, [projectId])).rows;
    if (!same(ids(first.body), newest.map((r) => r.id))) throw new Error('first page: not the 50 newest issues of the database');
    const last = newest.at(-1);
    if (first.body.nextCursor !== encodeCursor(last.created, last.id)) {
      throw new Error(`the API's cursor format changed (got ${first.body.nextCursor}, the bench builds ${encodeCursor(last.created, last.id)}): update encodeCursor in bench/api-bench.mjs`);
    }

    // Filtered: severity=critical, the 50 newest critical issues.
    const filteredUrl = `${base}&severity=critical`;
    const filtered = await getJson(realBase, filteredUrl, authorization);
    const newestCritical = (
      await client.query(`SELECT id FROM code_roach_issues WHERE project_id = $1 AND error_severity = 'critical' ORDER BY created_at DESC, id DESC LIMIT ${PAGE}`, [projectId])
    ).rows;
    if (filtered.status !== 200 || filtered.body?.items?.length !== PAGE || typeof filtered.body.nextCursor !== 'string') {
      throw new Error(`GET ${filteredUrl}: ${filtered.status}, ${filtered.body?.items?.length} items`);
    }
    if (!filtered.body.items.every((item) => item.severity === 'critical') || !same(ids(filtered.body), newestCritical.map((r) => r.id))) {
      throw new Error('filtered page: not the 50 newest critical issues of the database');
    }

    // Deep pages: cursors at evenly spaced positions over the whole listing (as if a client had paged
    // that far), each checked to answer exactly the 50 issues after it.
    const step = Math.floor((options.rows - 2 * PAGE) / options.deepPages);
    const positions = Array.from({ length: options.deepPages }, (_, k) => (k + 1) * step);
    const wanted = positions.flatMap((p) => [p, p + 1, p + PAGE]);
    const at = new Map(
      (
        await client.query(
          `SELECT rn::int, created, id FROM (
             SELECT row_number() OVER (ORDER BY created_at DESC, id DESC) AS rn, created_at::text AS created, id
             FROM code_roach_issues WHERE project_id = $1) AS x
           WHERE rn = ANY($2::bigint[])`,
          [projectId, wanted],
        )
      ).rows.map((r) => [r.rn, r]),
    );
    const deep = [];
    for (const p of positions) {
      const row = at.get(p);
      const url = `${base}&cursor=${encodeCursor(row.created, row.id)}`;
      const page = await getJson(realBase, url, authorization);
      if (page.status !== 200 || page.body?.items?.length !== PAGE || typeof page.body.nextCursor !== 'string') {
        throw new Error(`deep page after position ${p}: ${page.status}, ${page.body?.items?.length} items: ${page.text.slice(0, 200)}`);
      }
      if (page.body.items[0].id !== at.get(p + 1).id || page.body.items[PAGE - 1].id !== at.get(p + PAGE).id) {
        throw new Error(`deep page after position ${p}: not issues ${p + 1}–${p + PAGE} of the listing`);
      }
      deep.push({ url, body: page.body, text: page.text });
    }

    return [
      { key: 'first', label: `First page (\`limit=${PAGE}\`)`, urls: [base], pages: [[base, first.body, first.text]] },
      {
        key: 'deep',
        label: `Deep pages (${options.deepPages} cursors, positions ${positions[0].toLocaleString('en-US')}–${positions.at(-1).toLocaleString('en-US')}, in rotation)`,
        urls: deep.map((d) => d.url),
        pages: deep.map((d) => [d.url, d.body, d.text]),
      },
      { key: 'filtered', label: `Filtered first page (\`severity=critical&limit=${PAGE}\`)`, urls: [filteredUrl], pages: [[filteredUrl, filtered.body, filtered.text]] },
    ];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Rows inserted, updated and deleted per table of the run's schema, from pg_stat_user_tables. */
async function rowsWritten(client) {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const rows = (
    await client.query(
      `SELECT relname, n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_del::int AS del FROM pg_stat_user_tables WHERE schemaname = $1`,
      [created.schema],
    )
  ).rows;
  return new Map(rows.map((r) => [r.relname, r]));
}

function diffWrites(before, after) {
  const out = {};
  for (const [table, a] of after) {
    const b = before.get(table) ?? { ins: 0, upd: 0, del: 0 };
    const d = { inserted: a.ins - b.ins, updated: a.upd - b.upd, deleted: a.del - b.del };
    if (d.inserted || d.updated || d.deleted) out[table] = d;
  }
  return out;
}

// ---------------------------------------------------------------- load

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One autocannon run over `urls` in rotation; latencies of 2xx answers kept exactly (ms, float). */
function fire(base, urls, options, duration, authorization) {
  const latencies = [];
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration,
    timeout: 10,
    headers: { authorization },
    requests: urls.map((url) => ({ method: 'GET', path: url })),
  });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
  return instance.then((result) => ({ result, latencies }));
}

async function backendPids(monitor) {
  return (await monitor.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'code-roach-bench-api' AND datname = current_database()`)).rows.map((r) => r.pid);
}

async function measure(label, base, urls, options, authorization, child, monitor) {
  if (options.warmup > 0) await fire(base, urls, options, options.warmup, authorization);
  const pidsBefore = await backendPids(monitor);
  const pgBefore = new Map(pidsBefore.map((pid) => [pid, processCpuS(pid)]));
  const statsBefore = await ask(child, { type: 'stats' }, 'stats');
  const machineBefore = machineCpu();
  const benchCpuBefore = process.cpuUsage();
  const load = os.loadavg()[0];
  const { result, latencies } = await fire(base, urls, options, options.duration, authorization);
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const machine = busyShare(machineBefore, machineCpu());
  const statsAfter = await ask(child, { type: 'stats' }, 'stats');
  const pidsAfter = await backendPids(monitor);
  let pgCpuS = 0;
  for (const pid of new Set([...pidsBefore, ...pidsAfter])) {
    const after = processCpuS(pid);
    if (after !== null) pgCpuS += after - (pgBefore.get(pid) ?? 0);
  }
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  const counted = (key) => statsAfter.counter[key] - statsBefore.counter[key];
  const run = {
    label,
    requests: ok,
    sent: result.requests.sent,
    seconds: result.duration,
    rps: ok / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    autocannonRps: result.requests.average,
    serverCpuS: (statsAfter.cpuMs - statsBefore.cpuMs) / 1000,
    serverRssMiB: statsAfter.rssMiB,
    pgCpuS,
    pgBackends: pidsAfter.length,
    benchCpuS: (benchCpu.user + benchCpu.system) / 1e6,
    machine,
    loadBefore: load,
    statements: { queries: counted('queries'), execs: counted('execs'), transactions: counted('transactions') },
  };
  log(
    `  ${label}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, ${run.errors} errors, ${run.non2xx} non-2xx ` +
      `(server ${run.serverCpuS.toFixed(1)} CPU-s, PostgreSQL ${run.pgCpuS.toFixed(1)} CPU-s, autocannon ${run.benchCpuS.toFixed(1)} CPU-s, machine ${run.machine ? (run.machine.share * 100).toFixed(0) : '?'} % busy)`,
  );
  return run;
}

// ---------------------------------------------------------------- report

const f0 = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const ms = (n) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const times = (a, b) => `${(a / b).toFixed(2)}×`;

function planSummary(plan) {
  return plan.filter((line) => !/^\s*Buffers:|^\s*Planning:|^\s*Buffers: shared/.test(line)).join('\n');
}

function markdown(env, options, setup, results, explained, breakdown, writes, totalMs) {
  const lines = [];
  const rows = options.rows.toLocaleString('en-US');
  lines.push(`## ${env.date}: REST API: GET issues on ${rows} issues (issue 5)`, '');
  lines.push('Written by `npm run bench:api` (bench/api-bench.mjs; see bench/README.md). Rerun: `npm run build && npm run bench:api`.', '');
  lines.push(`- Machine: ${env.cpu}, \`nproc\` = ${env.nproc}, ${env.memGiB} GiB RAM; Node ${env.node}; ${env.os}. 1-minute load average before the run: ${env.loadBefore}.`);
  lines.push(`- ${env.postgres} on the same machine (shared_buffers ${env.sharedBuffers}, jit ${env.jit}); Fastify ${env.fastify}, pg ${env.pg}, autocannon ${env.autocannon}.`);
  lines.push(
    `- Data: one organization, one project, ${rows} issues (${f0(setup.stats.files)} files, ${setup.stats.rules} rules, ${f0(setup.stats.critical)} critical, ${f0(setup.stats.resolved)} resolved; ` +
      `${f0(setup.stats.timestamps)} distinct created_at, ${ROWS_PER_TIMESTAMP} issues each, over 60 days); table ${setup.stats.heap}, its ${setup.load.indexes ?? '?'} indexes ${setup.stats.indexes}. ` +
      `Loaded in ${(setup.load.timings.insertMs / 1000).toFixed(1)} s (one \`INSERT … SELECT FROM generate_series\`)` +
      (setup.load.fast ? ` + ${(setup.load.timings.indexMs / 1000).toFixed(1)} s rebuilding the indexes and key constraints (checked identical to the migration's)` : '') +
      ` + ${(setup.load.timings.vacuumMs / 1000).toFixed(1)} s \`VACUUM (ANALYZE)\`.`,
  );
  lines.push(`- Whole run: ${(totalMs / 1000).toFixed(0)} s. Everything created was removed: ${env.cleanup}.`);
  lines.push('');
  lines.push(
    `Real: \`buildApp\` from dist/ as the service builds it (PostgreSQL pool of 10, in-process queue, memory cache, rate limit raised to 100,000,000 a minute so it never answers 429 but is still counted), ` +
      `\`GET ${ISSUES_PATH}?projectId=…\` with \`authorization: Bearer rk_…\` (a viewer API key). ` +
      `Bare: the same fastify package, one route answering from a Map the page the real API gave for that URL (returned as an object, so it is serialised on every request as the real one is). ` +
      `Both servers run in one child process (bench/api-bench-server.mjs); autocannon runs in the bench's process with ${options.connections} connections, ` +
      `${options.warmup} s of warm-up (not counted) then ${options.duration} s measured per row. p50/p99 are exact, from every 2xx response's time as autocannon measured it (not its 1 ms-resolution histogram). ` +
      `Every page is checked against the database before timing (50 items, the right ones, a next cursor; the bare route serves byte-identical JSON).`,
  );
  lines.push('');
  lines.push('| Scenario | Server | Requests | Req/s | p50 (ms) | p99 (ms) | Errors / timeouts / non-2xx | Server CPU (s) | PostgreSQL CPU (s) | autocannon CPU (s) | Machine busy | Statements per request |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const scenario of results) {
    for (const run of [scenario.real, scenario.bare]) {
      const per = (n) => (n / Math.max(1, run.sent)).toFixed(2);
      const s = run.statements;
      const statements = run === scenario.bare ? '–' : `${per(s.queries + s.execs)} (${per(s.queries + s.execs + 2 * s.transactions)} round trips, ${per(s.transactions)} transactions)`;
      const others = run.machine ? `${(run.machine.share * 100).toFixed(0)} % (others ${Math.max(0, run.machine.cpuS - run.serverCpuS - run.pgCpuS - run.benchCpuS).toFixed(1)} CPU-s)` : '?';
      lines.push(
        `| ${scenario.label} | ${run.label} | ${f0(run.requests)} | ${f0(run.rps)} | ${ms(run.p50)} | ${ms(run.p99)} | ${run.errors} / ${run.timeouts} / ${run.non2xx} | ` +
          `${run.serverCpuS.toFixed(1)} | ${run === scenario.bare ? '–' : run.pgCpuS.toFixed(1)} | ${run.benchCpuS.toFixed(1)} | ${others} | ${statements} |`,
      );
    }
  }
  lines.push('');
  lines.push('| Scenario | Real ÷ bare, req/s | Real ÷ bare, p50 | Real ÷ bare, p99 | Server CPU per request, real / bare (ms) | PostgreSQL CPU per request (ms) |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { label, real, bare } of results) {
    lines.push(
      `| ${label} | ${times(real.rps, bare.rps)} | ${times(real.p50, bare.p50)} | ${times(real.p99, bare.p99)} | ` +
        `${((real.serverCpuS * 1000) / real.sent).toFixed(3)} / ${((bare.serverCpuS * 1000) / bare.sent).toFixed(3)} | ${((real.pgCpuS * 1000) / real.sent).toFixed(3)} |`,
    );
  }
  lines.push('');
  if (breakdown) {
    lines.push('### Where one request goes (one call at a time)', '');
    lines.push(
      `Each step of the first-page request on its own, ${BREAKDOWN_ITERATIONS} calls in a row after 50 unmeasured, in the server process after the timed runs; ` +
        'wall time per call (PostgreSQL time and round trips included), so it adds up to the request at no concurrency rather than to the CPU in the tables above.',
    );
    lines.push('');
    lines.push('| Step | p50 (ms) | Mean (ms) |');
    lines.push('| --- | ---: | ---: |');
    for (const step of breakdown) lines.push(`| ${step.label} | ${step.p50.toFixed(3)} | ${step.mean.toFixed(3)} |`);
    lines.push('');
  }
  if (writes) {
    const tables = Object.entries(writes.tables);
    lines.push(
      `Rows the servers wrote over the whole run (pg_stat_user_tables of the schema, read after their pool closed), while serving ${f0(writes.requests)} timed requests to the real API plus the checks and diagnostics: ` +
        (tables.length ? tables.map(([t, d]) => `\`${t}\` ${d.inserted} inserted, ${d.updated} updated, ${d.deleted} deleted`).join('; ') : 'none') +
        ' (API keys\' `last_used_at` is refreshed at most once a minute; GET requests are not audited).',
      '',
    );
  }
  if (explained) {
    lines.push('### What one request runs in PostgreSQL', '');
    lines.push(
      'Every statement the real app sent for one request of each scenario (recorded at the SqlClient seam), replayed in a rolled-back transaction with the same role and settings as ' +
        '`EXPLAIN (ANALYZE, BUFFERS)` after the timed runs (warm cache). Times are the server-side execution times.',
    );
    lines.push('');
    const first = explained[0];
    lines.push(`| # | Statement (${first.label}) | Transaction | Planning (ms) | Execution (ms) |`);
    lines.push('| ---: | --- | --- | ---: | ---: |');
    const timing = (s, what) => (s.plan ? (s.plan.find((l) => l.startsWith(what))?.replace(/[^0-9.]/g, '') ?? '–') : '–');
    first.statements.forEach((s, i) => {
      const text = s.sql.replace(/\s+/g, ' ').trim();
      lines.push(
        `| ${i + 1} | \`${text.length > 110 ? `${text.slice(0, 107)}…` : text}\` | ${s.tx === null ? 'autocommit' : 'tenant transaction (`withTenant`)'} | ${timing(s, 'Planning Time')} | ${timing(s, 'Execution Time')} |`,
      );
    });
    lines.push('', 'Plus the driver\'s `BEGIN` and `COMMIT` around the tenant transaction: 4 statements in 6 round trips, on 3 connection checkouts from the pool.');
    lines.push('');
    for (const e of explained) {
      const page = e.statements.find((s) => s.plan && /FROM code_roach_issues/.test(s.sql));
      if (!page) continue;
      lines.push(`Plan of the page query, ${e.label} (as \`roach_tenant\` with row-level security):`, '');
      lines.push('```text', planSummary(page.plan), '```', '');
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function serverInfo(options) {
  const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const get = async (sql) => Object.values((await client.query(sql)).rows[0])[0];
    return { postgres: `PostgreSQL ${await get('SHOW server_version')}`, sharedBuffers: await get('SHOW shared_buffers'), jit: await get('SHOW jit') };
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${options.databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}: ${error.message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  for (const file of ['api/app.js', 'api/auth.js', 'store/postgres.js', 'store/tenant-store.js', 'store/migrate.js']) {
    if (!existsSync(path.join(DIST, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
  }
  const env = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpuModel(),
    nproc: os.availableParallelism(),
    memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadBefore: os.loadavg()[0].toFixed(2),
    ...(await serverInfo(options)),
    fastify: packageVersion('fastify'),
    pg: packageVersion('pg'),
    autocannon: packageVersion('autocannon'),
  };

  let setup;
  const results = [];
  let explained;
  let breakdown;
  let writes;
  let report;
  try {
    setup = await setUp(options);
    const authorization = `Bearer ${setup.apiKey.key}`;

    const monitor = new pg.Client({ connectionString: options.databaseUrl, application_name: 'code-roach-bench-api-monitor' });
    await monitor.connect();
    const closeMonitor = () => monitor.end();
    created.closers.add(closeMonitor);
    const writesBefore = await rowsWritten(monitor);

    const child = fork(SERVER, [options.databaseUrl, created.schema], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    created.child = child;
    const ready = await onceMessage(child, 'ready', 60_000);
    const realBase = `http://127.0.0.1:${ready.realPort}`;
    const bareBase = `http://127.0.0.1:${ready.barePort}`;
    log(`servers up: real ${realBase}, bare ${bareBase} (pid ${ready.pid})`);

    const list = await scenarios(options, setup, realBase, authorization);
    await ask(child, { type: 'pages', pages: list.flatMap((s) => s.pages.map(([url, body]) => [url, body])) }, 'pages');
    for (const s of list) {
      for (const [url, , text] of s.pages) {
        const bare = await getJson(bareBase, url, authorization);
        if (bare.status !== 200 || bare.text !== text) throw new Error(`the bare route does not answer ${url} with the real API's exact JSON`);
      }
    }
    log(`checked: first page, ${list[1].urls.length} deep pages and the filtered page against the database; the bare route answers the same bytes`);

    for (const s of list) {
      log(`scenario: ${s.label}`);
      const real = await measure('real API', realBase, s.urls, options, authorization, child, monitor);
      const bare = await measure('bare Fastify', bareBase, s.urls, options, authorization, child, monitor);
      results.push({ ...s, real, bare });
    }
    const { results: plans } = await ask(
      child,
      { type: 'explain', authorization, requests: list.map((s) => ({ label: s.label, url: s.urls[Math.floor(s.urls.length / 2)] })) },
      'explain',
    );
    explained = plans;
    breakdown = (
      await ask(
        child,
        { type: 'breakdown', authorization, organizationId: setup.organization.id, projectId: setup.project.id, url: list[0].urls[0], iterations: BREAKDOWN_ITERATIONS },
        'breakdown',
        120_000,
      )
    ).steps;
    for (const step of breakdown) log(`  ${step.label}: p50 ${step.p50.toFixed(3)} ms, mean ${step.mean.toFixed(3)} ms`);
    // Rows the servers wrote over the whole run, from PostgreSQL's statistics once their pool is
    // closed (a backend reports its counts when it exits): a write per request would show here.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await ask(child, { type: 'close' }, 'closed');
    await exited;
    await sleep(1000);
    const writesAfter = await rowsWritten(monitor);
    writes = { tables: diffWrites(writesBefore, writesAfter), requests: results.reduce((a, r) => a + r.real.sent, 0) };
    log(`rows written during the run: ${JSON.stringify(writes.tables)} (${writes.requests} timed requests to the real API, plus the checks and diagnostics)`);
    await monitor.end();
    created.closers.delete(closeMonitor);
    for (const e of plans) {
      log(`statements of one request, ${e.label} (status ${e.status}):`);
      for (const s of e.statements) {
        log(`  [${s.tx === null ? 'autocommit' : `tx ${s.tx}`}] ${s.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
        if (s.plan) for (const line of s.plan) log(`      ${line}`);
      }
    }
  } finally {
    report = await cleanup(options);
    log(`cleanup: ${JSON.stringify(report)}`);
  }
  if (report.errors.length) throw new Error(`cleanup failed: ${report.errors.join('; ')}`);
  env.cleanup = report.schema ? `PostgreSQL schema \`${report.schema.dropped}\` (${report.schema.left ? 'still there!' : 'gone'})` : 'nothing was created';
  const section = markdown(env, options, setup, results, explained, breakdown, writes, performance.now() - started);
  process.stdout.write(`${section}\n`);
  if (options.write) {
    await writeResultsSection(RESULTS_MD, section, `## ${env.date}: REST API: GET issues on ${options.rows.toLocaleString('en-US')} issues (issue 5)`);
    log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
  }
  log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    cleanup(parseArgs(process.argv.slice(2)))
      .then((report) => log(`cleanup: ${JSON.stringify(report)}`))
      .finally(() => process.exit(130));
  });
}

main().catch((error) => {
  process.stderr.write(`[api-bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
