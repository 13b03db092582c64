import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { stderrQueueErrors } from '../../src/main/service.js';
import { createBullQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/ports.js';
import { connectQueueRedis } from '../../src/queue/redis-connection.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import type { Organization, Project } from '../../src/store/repositories/tenancy.js';
import { copyFixture, REPO_ROOT } from '../helpers/project.js';
import { dropSchema, POSTGRES_URL, uniqueSchema } from '../helpers/postgres.js';
import { cleanupPrefix, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/** One service deployment for a test file: its own PostgreSQL schema and Redis prefix, real worker processes. */
export interface ServiceFixture {
  readonly schema: string;
  readonly prefix: string;
  readonly env: NodeJS.ProcessEnv;
  readonly db: Database;
  readonly queue: JobQueue;
  readonly org: Organization;
  project(options?: { slowCheckSeconds?: number }): Promise<Project>;
  startWorker(args?: readonly string[]): WorkerProcess;
  close(): Promise<void>;
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly events: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

export async function openServiceFixture(): Promise<ServiceFixture> {
  const schema = uniqueSchema('roach_svc');
  const prefix = uniquePrefix('roach_svc').replace(/:$/, '');
  const db = await openPostgres({ connectionString: POSTGRES_URL, schema });
  await migrate(db);
  const tenants = createTenantStore(db);
  const org = await tenants.ensureOrganization('local', 'local');
  const redis: Redis = await connectQueueRedis(REDIS_URL);
  const queue = createBullQueue({ redis, prefix, onError: stderrQueueErrors });
  const workers: WorkerProcess[] = [];
  const env = { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, REDIS_URL, ROACH_REDIS_PREFIX: prefix, ROACH_ORG: 'local' };
  return {
    schema,
    prefix,
    env,
    db,
    queue,
    org,
    async project(options = {}) {
      const dir = await copyFixture('sample-app');
      if (options.slowCheckSeconds) {
        // A validation command that takes a while makes the crawl job last long enough to interrupt.
        await writeFile(path.join(dir, '.roach.yml'), `validation:\n  commands:\n    - name: slow\n      run: sleep ${options.slowCheckSeconds}\n`);
      }
      return tenants.registerProject(org.id, dir, path.basename(dir));
    },
    startWorker(args = []) {
      const child = spawn(
        process.execPath,
        [path.join(REPO_ROOT, 'bin', 'roach.js'), 'worker', '--rate-limit', '100000', '--lock-duration', '2000', '--stalled-interval', '500', '--threads', '1', ...args],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
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
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => {
          if (code !== 0 && code !== null && stderr) console.error(`worker ${child.pid} exited ${code}: ${stderr}`);
          resolve(code);
        }),
      );
      const worker = { child, events, exited };
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await queue.close();
      redis.disconnect();
      await db.close();
      await dropSchema(schema);
      await cleanupPrefix(prefix);
    },
  };
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
