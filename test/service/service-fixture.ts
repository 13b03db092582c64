import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { stderrQueueErrors } from '../../src/main/service.js';
import { pauseFile, reachedMarker } from '../../src/main/test-checkpoints.js';
import type { CrawlPhase } from '../../src/crawl/crawl.js';
import { createBullQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/ports.js';
import { connectQueueRedis } from '../../src/queue/redis-connection.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { Organization, Project } from '../../src/store/repositories/tenancy.js';
import { copyFixture, REPO_ROOT, tempDir } from '../helpers/project.js';
import { dropSchema, POSTGRES_URL, uniqueSchema } from '../helpers/postgres.js';
import { cleanupPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * One service deployment for one test: its own PostgreSQL schema, Redis prefix and checkpoint
 * folder, real worker processes. Faults are injected at checkpoints the workers announce
 * (src/main/test-checkpoints.ts), never after a timer.
 */
export interface ServiceFixture {
  readonly schema: string;
  readonly prefix: string;
  readonly env: NodeJS.ProcessEnv;
  readonly db: Database;
  readonly queue: JobQueue;
  readonly org: Organization;
  project(): Promise<Project>;
  startWorker(args?: readonly string[], extraEnv?: NodeJS.ProcessEnv): WorkerProcess;
  /** From now on every crawl job that enters `phase` waits there until release(phase). */
  pauseAt(phase: CrawlPhase): Promise<void>;
  release(phase: CrawlPhase): Promise<void>;
  /**
   * Waits until attempt `attempt` of job `jobId` entered `phase` (in worker `pid`, when given);
   * resolves with the worker's pid.
   */
  reached(jobId: string, attempt: number, phase: CrawlPhase, timeoutMs?: number, pid?: number): Promise<number>;
  /** Whether attempt `attempt` of job `jobId` entered `phase` (without waiting). */
  hasReached(jobId: string, attempt: number, phase: CrawlPhase): Promise<boolean>;
  /** The pid of every worker holding a job paused at `phase`, by job id. */
  pausedJobs(phase: CrawlPhase, jobIds: readonly string[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly events: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Waits for a log line matching `match`; fails naming what the worker logged instead. */
  event(match: (event: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

async function markerPid(file: string): Promise<number | undefined> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

export async function openServiceFixture(): Promise<ServiceFixture> {
  const schema = uniqueSchema('roach_svc');
  const prefix = uniquePrefix('roach_svc').replace(/:$/, '');
  const checkpoints = await tempDir('roach-checkpoints-');
  const db = await openPostgres({ connectionString: POSTGRES_URL, schema });
  await migrate(db);
  const tenants = createTenantStore(db);
  const org = await tenants.ensureOrganization('local', 'local');
  const redis: Redis = await connectQueueRedis(REDIS_URL);
  const queue = createBullQueue({ redis, prefix, onError: stderrQueueErrors });
  const workers: WorkerProcess[] = [];
  const env = {
    DATABASE_URL: POSTGRES_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    ROACH_REDIS_PREFIX: prefix,
    ROACH_ORG: 'local',
    ROACH_TEST_CHECKPOINT_DIR: checkpoints,
  };
  const fixture: ServiceFixture = {
    schema,
    prefix,
    env,
    db,
    queue,
    org,
    async project() {
      const dir = await copyFixture('sample-app');
      return tenants.registerProject(org.id, dir, path.basename(dir));
    },
    startWorker(args = [], extraEnv = {}) {
      const child = spawn(
        process.execPath,
        [path.join(REPO_ROOT, 'bin', 'roach.js'), 'worker', '--rate-limit', '100000', '--lock-duration', '2000', '--stalled-interval', '500', '--threads', '1', ...args],
        { env: { ...process.env, ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const events: Record<string, unknown>[] = [];
      let buffer = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as Record<string, unknown>);
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      const worker: WorkerProcess = {
        child,
        events,
        exited,
        stderr: () => stderr,
        event: (match, what, timeoutMs = 60_000) =>
          waitFor(() => events.find(match), timeoutMs, `worker ${child.pid}: ${what}`, () => ({
            exit: child.exitCode ?? child.signalCode,
            log: events.slice(-8).map((e) => e.msg),
            stderr: stderr.slice(-800),
          })),
      };
      workers.push(worker);
      return worker;
    },
    async pauseAt(phase) {
      await writeFile(pauseFile(checkpoints, phase), '');
    },
    async release(phase) {
      await rm(pauseFile(checkpoints, phase), { force: true });
    },
    async hasReached(jobId, attempt, phase) {
      return access(reachedMarker(checkpoints, jobId, attempt, phase)).then(
        () => true,
        () => false,
      );
    },
    async reached(jobId, attempt, phase, timeoutMs = 60_000, pid = undefined) {
      const marker = reachedMarker(checkpoints, jobId, attempt, phase);
      const by = async () => {
        const found = await markerPid(marker);
        return pid === undefined || found === pid ? found : undefined;
      };
      return waitFor(by, timeoutMs, `job ${jobId} attempt ${attempt} to reach ${phase}${pid ? ` in worker ${pid}` : ''}`, async () => ({
        marker: await markerPid(marker),
        job: await queue.job('codebase-crawl', jobId),
        workers: workers.map((w) => ({ pid: w.child.pid, exit: w.child.exitCode ?? w.child.signalCode, log: w.events.slice(-5).map((e) => e.msg), stderr: w.stderr().slice(-400) })),
      }));
    },
    async pausedJobs(phase, jobIds) {
      const found = new Map<string, number>();
      for (const id of jobIds) {
        const pid = await markerPid(reachedMarker(checkpoints, id, 1, phase));
        if (pid !== undefined) found.set(id, pid);
      }
      return found;
    },
    async close() {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await queue.close();
      redis.disconnect();
      await db.close();
      await dropSchema(schema);
      await cleanupPrefix(prefix);
      await rm(checkpoints, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Reads rows as the database owner (no tenant scoping): what really is in the tables. */
export async function rows<T extends object>(schema: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
