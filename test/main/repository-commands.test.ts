import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJobHandlers } from '../../src/main/job-handlers.js';
import { crawlWithStore } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import { findSandbox } from '../../src/io/sandbox.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import { postgresAvailable } from '../helpers/postgres.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

/**
 * The leak of issue 11: a repository's `.roach.yml` validation command, run by a crawl job, dumped
 * the worker's environment (DATABASE_URL, REDIS_URL, JWT_SECRET, ROACH_SECRET_KEY) to a file outside
 * the repository, and could read other files and reach the database. These jobs crawl such a repository.
 */
const SERVICE_SECRETS = {
  DATABASE_URL: 'postgres://roach:db-password-0f3a9c@127.0.0.1:5432/roach',
  REDIS_URL: 'redis://:redis-password-77aa1b@127.0.0.1:6379',
  JWT_SECRET: 'jwt-secret-4b1d9e7c2a6f8e0d3c5b7a9f1e2d4c6b',
  ROACH_SECRET_KEY: 'roach-secret-key-9e8d7c6b5a4f3e2d1c0b',
};

const context = (jobId: string) => ({ jobId, attempt: 1, signal: new AbortController().signal, progress: async () => undefined });
const sandbox = await findSandbox();
// Postgres on 127.0.0.1:5432 is what the command tries to reach; without it "refused" would prove nothing.
const pgReachable = await postgresAvailable();

afterAll(cleanupTemp);

interface Repo {
  readonly dir: string;
  readonly outside: string;
}

/** A repository with a fixable finding and a validation command that tries all three escapes and reports what it saw. */
async function maliciousRepo(): Promise<Repo> {
  const dir = await tempDir('roach-evil-repo-');
  const outside = await tempDir('roach-outside-');
  await writeFile(path.join(outside, 'other-tenant.txt'), 'OTHER-TENANT-DATA\n');
  await mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src', 'app.js'), 'export function twice(x) {\n  debugger;\n  return x * 2;\n}\n');
  const probe = [
    `env > ${outside}/stolen-env.txt`,
    'echo ENV-BEGIN; env; echo ENV-END',
    `if cat ${outside}/other-tenant.txt; then echo READ-OK; else echo READ-DENIED; fi`,
    `node -e 'const s=require("net").connect(5432,"127.0.0.1");s.on("connect",()=>{console.log("TCP-CONNECTED");s.destroy()});s.on("error",(e)=>console.log("TCP-FAILED "+e.code))'`,
    // Failing on purpose: the output of a failing check is what the fix records keep.
    'exit 1',
  ].join('; ');
  await writeFile(path.join(dir, '.roach.yml'), `validation:\n  commands:\n    - name: probe\n      run: ${JSON.stringify(probe)}\n      timeoutMs: 60000\n`);
  return { dir, outside };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

/**
 * The worker's environment, as in production (an unscrubbed child would inherit all of it), and a
 * fresh embedded store, for each test of the calling describe block.
 */
function withSecretsAndStore(): { readonly db: () => Database } {
  let db: Database | undefined;
  beforeEach(async () => {
    for (const [name, value] of Object.entries(SERVICE_SECRETS)) vi.stubEnv(name, value);
    db = await openPglite(null);
    await migrate(db);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await db?.close();
  });
  return { db: () => db as Database };
}

describe('repository commands in service mode', () => {
  const service = withSecretsAndStore();

  async function setup(repo: Repo, findSandboxFor?: typeof findSandbox) {
    const tenants = createTenantStore(service.db());
    const pipeline = createPipelineStore(service.db());
    const handlers = createJobHandlers({ pipeline, tenants, webhookSecret: null, threads: 1, ...(findSandboxFor ? { findSandbox: findSandboxFor } : {}) });
    const org = await tenants.ensureOrganization('acme', 'Acme');
    const project = await tenants.registerProject(org.id, repo.dir, 'evil');
    const ref = { organizationId: org.id, projectId: project.id };
    const crawl = () => handlers['codebase-crawl']({ ...ref, apply: false, generateFixes: true }, context('1'));
    const checkDetails = async () => (await pipeline.listFixes(ref, ['pending', 'failed_validation'])).flatMap((fix) => fix.validation.filter((s) => s.step === 'check').map((s) => s.detail));
    return { tenants, ref, crawl, checkDetails };
  }

  it('does not run them unless an admin enabled them for the project, and says why', async () => {
    const repo = await maliciousRepo();
    const { crawl, checkDetails } = await setup(repo);
    const result = await crawl();
    expect(result).toMatchObject({ validationCommands: { names: ['probe'], mode: 'skipped', reason: expect.stringContaining('repository commands are disabled for project evil') } });
    expect(await exists(path.join(repo.outside, 'stolen-env.txt'))).toBe(false);
    const details = await checkDetails();
    expect(details.length).toBeGreaterThan(0);
    for (const detail of details) {
      expect(detail).toMatch(/^not run: repository commands are disabled/);
      expect(detail).toContain('"repositoryCommands": true');
    }
  }, 60_000);

  it('refuses them with CR_ERR_SANDBOX_UNAVAILABLE when enabled on a worker without a sandbox', async () => {
    const repo = await maliciousRepo();
    const { tenants, ref, crawl } = await setup(repo, () => findSandbox(undefined, ['/nonexistent/bwrap']));
    await tenants.updateProjectSettings(ref.organizationId, ref.projectId, { repositoryCommands: true });
    const result = (await crawl()) as { validationCommands: { mode: string; reason: string } };
    expect(result.validationCommands.mode).toBe('skipped');
    expect(result.validationCommands.reason).toMatch(/^CR_ERR_SANDBOX_UNAVAILABLE: .*bubblewrap is not installed/);
    expect(await exists(path.join(repo.outside, 'stolen-env.txt'))).toBe(false);
  }, 60_000);

  // With CI set a missing sandbox or database fails this test rather than skipping it.
  it.skipIf((!sandbox.ok || !pgReachable) && !process.env.CI)('runs them, when enabled, sandboxed: no service secret, no file outside its copy, no network', async () => {
    expect(sandbox.ok, sandbox.ok ? '' : sandbox.reason).toBe(true);
    expect(pgReachable).toBe(true);
    const repo = await maliciousRepo();
    const { tenants, ref, crawl, checkDetails } = await setup(repo);
    await tenants.updateProjectSettings(ref.organizationId, ref.projectId, { repositoryCommands: true });
    const result = await crawl();
    expect(result).toMatchObject({ validationCommands: { names: ['probe'], mode: 'sandbox', reason: null } });

    const details = await checkDetails();
    expect(details.length).toBeGreaterThan(0);
    const detail = details[0] ?? '';
    // It ran: its own output is there.
    expect(detail).toContain('ENV-END');
    const env = detail.slice(detail.indexOf('ENV-BEGIN') + 'ENV-BEGIN'.length, detail.indexOf('ENV-END')).trim().split('\n');
    const names = env.map((line) => line.split('=')[0]);
    for (const secret of Object.keys(SERVICE_SECRETS)) expect(names).not.toContain(secret);
    for (const value of Object.values(SERVICE_SECRETS)) expect(detail).not.toContain(value);
    expect(names.filter((name) => !['PATH', 'HOME', 'LANG', 'CI', 'PWD', 'SHLVL', '_', 'OLDPWD'].includes(name ?? ''))).toEqual([]);
    expect(env).toContain('HOME=/tmp/home');
    expect(detail).toContain('READ-DENIED');
    expect(detail).not.toContain('OTHER-TENANT-DATA');
    expect(detail).toMatch(/TCP-FAILED (ECONNREFUSED|ENETUNREACH)/);
    expect(detail).not.toContain('TCP-CONNECTED');
    expect(await exists(path.join(repo.outside, 'stolen-env.txt'))).toBe(false);
  }, 60_000);
});

describe('repository commands in the embedded CLI (the user\'s own repository)', () => {
  const service = withSecretsAndStore();

  async function crawlOwnRepo(inheritEnv: boolean): Promise<{ env: string; mode: string | undefined }> {
    const repo = await maliciousRepo();
    const store = createPipelineStore(service.db());
    const settings = await resolveCrawlSettings(repo.dir, { progress: false, threads: '1', dataDir: path.join(repo.outside, 'data'), inheritEnv });
    const run = await crawlWithStore(store, settings, { color: false });
    const project = await store.ensureProject(repo.dir, path.basename(repo.dir));
    const detail = (await store.listFixes(project, ['pending'])).flatMap((fix) => fix.validation.map((s) => s.detail)).join('\n');
    return { env: detail.slice(detail.indexOf('ENV-BEGIN'), detail.indexOf('ENV-END')), mode: run.report.validationCommands?.mode };
  }

  it('still runs them, with a scrubbed environment by default and the whole one with --inherit-env', async () => {
    const scrubbed = await crawlOwnRepo(false);
    expect(scrubbed.mode).toBe('host');
    expect(scrubbed.env).toContain('CI=true');
    for (const name of Object.keys(SERVICE_SECRETS)) expect(scrubbed.env).not.toContain(`${name}=`);
    const inherited = await crawlOwnRepo(true);
    expect(inherited.mode).toBe('host');
    // Masked in the stored output (a database URL with a password is a secret), but passed to the command.
    expect(inherited.env).toContain('DATABASE_URL=');
    expect(inherited.env).toContain('JWT_SECRET=');
  }, 60_000);
});
