import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/store/migrate.js';
import { cleanupTemp, copyFixture, roach, tempDir } from '../helpers/project.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';

// Every migration that ships, so a new one does not break these tests (their count is not the point).
const ALL_MIGRATIONS = (await listMigrations()).map((m) => String(m.version).padStart(4, '0')).join(', ');

const EMBEDDED = { DATABASE_URL: '', REDIS_URL: '' };
const servicesUp = (await postgresAvailable()) && (await redisAvailable());
const schema = uniqueSchema('roach_cli');
const prefix = uniquePrefix('roach_cli').replace(/:$/, '');
const SERVICE = { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, REDIS_URL, ROACH_REDIS_PREFIX: prefix };

afterAll(async () => {
  await cleanupTemp();
  if (servicesUp) {
    await dropSchema(schema);
    await cleanupPrefix(prefix);
  }
});

describe('service commands in the embedded mode', () => {
  it('roach enqueue crawl runs the job in this process with the same catalogue', async () => {
    const dir = await copyFixture('sample-app');
    const result = await roach(['enqueue', 'crawl', dir, '--apply'], { env: EMBEDDED });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Ran codebase-crawl job 1 for roach-sample-app-\w+ in this process: completed\./);
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))).toMatchObject({ fixes: { applied: 4 }, openIssues: { total: 5 } });
    expect(await readFile(path.join(dir, 'src', 'legacy.js'), 'utf8')).not.toMatch(/debugger/);
  });

  it('roach db migrate creates or upgrades the embedded store, then says it is current', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    expect((await roach(['db', 'migrate', '--data-dir', dataDir], { env: EMBEDDED })).stdout).toContain(`applied ${ALL_MIGRATIONS}.`);
    expect((await roach(['db', 'migrate', '--data-dir', dataDir], { env: EMBEDDED })).stdout).toMatch(/is up to date/);
  });

  it('commands that need the shared services say which setting is missing', async () => {
    const jobs = await roach(['jobs'], { env: EMBEDDED });
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toMatch(/set REDIS_URL.*CR_ERR_SERVICE_CONFIG/);
    const worker = await roach(['worker'], { env: EMBEDDED });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/needs REDIS_URL \(the shared queues\) and DATABASE_URL \(the shared database\)/);
    const missing = await roach(['enqueue', 'crawl', 'no-such-project'], { env: { ...EMBEDDED, ROACH_DATA_DIR: path.join(await tempDir(), 'd') } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no project "no-such-project" in organization local.*CR_ERR_NOT_FOUND/);
  });
});

describe('bad service settings fail at start-up with a clear message', () => {
  it.each([
    [{ DATABASE_URL: 'postgres//oops' }, 2, /DATABASE_URL is not a URL/],
    [{ DATABASE_URL: 'mysql://x/y' }, 2, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' }, 3, /DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:1\/test: connection refused/],
    [{ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/test' }, 3, /postgres:\*\*\*@127/],
  ])('%o', async (env, code, message) => {
    const result = await roach(['db', 'migrate'], { env: { ...EMBEDDED, ...env } });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/secret|\n\s+at /);
  });

  it('with Redis down, health says so and the database keeps serving', async () => {
    const result = await roach(['health', '--json', '--data-dir', path.join(await tempDir(), 'd')], { env: { ...EMBEDDED, REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      database: { kind: 'pglite', ok: true },
      cache: { kind: 'redis', ok: false, detail: expect.stringMatching(/REDIS_URL.*serving from the database/) },
      queue: { kind: 'bullmq', ok: false, detail: expect.stringMatching(/Cannot connect to Redis at REDIS_URL/) },
    });
  });

  it('an unreachable or malformed REDIS_URL', async () => {
    const down = await roach(['jobs'], { env: { ...EMBEDDED, REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/Cannot connect to Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    const bad = await roach(['jobs'], { env: { ...EMBEDDED, REDIS_URL: 'http://x' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/REDIS_URL has unsupported protocol/);
  });
});

describe.skipIf(!servicesUp)('service commands on PostgreSQL and Redis', () => {
  it('db migrate, enqueue (deduplicated per project) and jobs', async () => {
    expect((await roach(['db', 'migrate'], { env: SERVICE })).stdout).toContain(`Migrated PostgreSQL (DATABASE_URL): applied ${ALL_MIGRATIONS}.`);
    expect((await roach(['db', 'migrate'], { env: SERVICE })).stdout).toMatch(/up to date/);
    const dir = await copyFixture('sample-app');
    const first = await roach(['enqueue', 'crawl', dir, '--priority', 'critical'], { env: SERVICE });
    expect(first.stdout).toMatch(/^Enqueued codebase-crawl job 1 for roach-sample-app-\w+ \(priority critical, waiting\)\./);
    const again = await roach(['enqueue', 'crawl', dir], { env: SERVICE });
    expect(again.stdout).toMatch(/^Enqueued codebase-crawl job 1 /);
    const bad = await roach(['enqueue', 'crawl', dir, '--priority', 'urgent'], { env: SERVICE });
    expect(bad.stderr).toMatch(/--priority must be one of critical, high, normal, low/);
    const jobs = await roach(['jobs', '--json'], { env: SERVICE });
    const counts = (JSON.parse(jobs.stdout) as { counts: { kind: string; waiting: number }[] }).counts;
    expect(counts.find((c) => c.kind === 'codebase-crawl')?.waiting).toBe(1);
    expect((await roach(['jobs'], { env: SERVICE })).stdout).toMatch(/^queue\s+waiting active delayed completed failed\ncodebase-crawl\s+1\s+0/);
  });
});
