import { access, chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '../../src/main/job-handlers.js';
import type { JobContext } from '../../src/queue/ports.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import { testApi } from '../helpers/api.js';
import { cleanupTemp, run, tempDir } from '../helpers/project.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;
let origin: string;
let bare: string;
let orgId: string;
let marker: string;
const savedGlobal = process.env.GIT_CONFIG_GLOBAL;
const headers = async () => ({
  authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('gina').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))}`,
});
const git = async (cwd: string, ...args: string[]) => {
  const result = await run('git', ['-c', 'user.name=Gina', '-c', 'user.email=gina@example.test', '-c', 'core.hooksPath=', ...args], { cwd });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
};
const create = async (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await headers(), payload });

beforeAll(async () => {
  const root = await tempDir('roach-git-');
  workspace = path.join(root, 'workspace');
  origin = path.join(root, 'origin');
  bare = path.join(root, 'remote.git');
  await mkdir(origin);
  await git(origin, 'init', '-q', '-b', 'main');
  await writeFile(path.join(origin, 'a.js'), 'export const a = 1;\n');
  await git(origin, 'add', '-A');
  await git(origin, 'commit', '-q', '-m', 'one');
  await git(root, 'clone', '-q', '--bare', origin, bare);
  // A global hook that would run on checkout: cloning must not run it.
  const hooks = path.join(root, 'hooks');
  marker = path.join(root, 'hook-ran');
  await mkdir(hooks);
  await writeFile(path.join(hooks, 'post-checkout'), `#!/bin/sh\ntouch ${marker}\n`);
  await chmod(path.join(hooks, 'post-checkout'), 0o755);
  await writeFile(path.join(root, 'gitconfig'), `[core]\n\thooksPath = ${hooks}\n`);
  process.env.GIT_CONFIG_GLOBAL = path.join(root, 'gitconfig');
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_DIR: workspace, ROACH_GIT_ALLOW_FILE: 'true' }));
  orgId = (await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await headers(), payload: { slug: 'gitorg', name: 'Git' } })).json().id;
});
afterAll(async () => {
  if (savedGlobal === undefined) delete process.env.GIT_CONFIG_GLOBAL;
  else process.env.GIT_CONFIG_GLOBAL = savedGlobal;
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('projects from a git URL', () => {
  it('clones a file:// remote (allowed by flag) into the workspace without running hooks, and a crawl fetches first', async () => {
    const created = await create({ name: 'remote', gitUrl: `file://${bare}`, ref: 'main' });
    expect(created.statusCode).toBe(201);
    const project = created.json();
    expect(project).toMatchObject({ name: 'remote', gitUrl: `file://${bare}`, gitRef: 'main' });
    const listed = (await app.inject({ url: `/api/code-roach/organizations/${orgId}/projects`, headers: await headers() })).json();
    expect(listed.items).toContainEqual(expect.objectContaining({ id: project.id, gitUrl: `file://${bare}`, gitRef: 'main' }));
    expect(project.rootPath.startsWith(path.join(workspace, orgId))).toBe(true);
    expect(await readdir(project.rootPath)).toContain('a.js');
    await expect(access(marker)).rejects.toThrow();

    // A new commit upstream with an issue in it: the crawl job fetches it before analyzing.
    await writeFile(path.join(origin, 'b.js'), 'export function b(x) {\n  return x === NaN;\n}\n');
    await git(origin, 'add', '-A');
    await git(origin, 'commit', '-q', '-m', 'two');
    await git(origin, 'push', '-q', bare, 'main');
    const handlers = createJobHandlers({ pipeline: createPipelineStore(db), tenants: createTenantStore(db), webhookSecret: null, gitAllowFile: true, threads: 1 });
    const context = { jobId: 'job-1', signal: new AbortController().signal, progress: async () => undefined } as unknown as JobContext;
    const result = await handlers['codebase-crawl']({ organizationId: orgId, projectId: project.id, apply: false, generateFixes: false }, context);
    expect(await readdir(project.rootPath)).toContain('b.js');
    expect((result as { openIssues: { total: number } }).openIssues.total).toBeGreaterThan(0);
    await expect(access(marker)).rejects.toThrow();
  });

  it.each([
    [{ gitUrl: 'https://user:hunter2@example.com/repo.git' }, 422, /Credentials in git URLs are refused/],
    [{ gitUrl: 'https://token@example.com/repo.git' }, 422, /Credentials/],
    [{ gitUrl: 'http://example.com/repo.git' }, 422, /https or ssh, not http/],
    [{ gitUrl: 'ext::sh -c touch% /tmp/pwned' }, 422, /https or ssh/],
    [{ gitUrl: 'https://127.0.0.1/repo.git' }, 422, /private, loopback/],
    [{ gitUrl: 'git@169.254.169.254:x/y.git' }, 422, /169\.254\.169\.254/],
    [{ gitUrl: 'file:///tmp/x.git', ref: '--upload-pack=touch /tmp/pwned' }, 400, /not a branch, tag or commit name/],
    [{ gitUrl: 'file:///tmp/x.git', path: '/tmp' }, 400, /exactly one of path and gitUrl/],
    [{ path: '/tmp', ref: 'main' }, 400, /ref goes with gitUrl/],
  ])('refuses %j with %i', async (body, status, message) => {
    const refused = await create({ name: 'bad', ...body });
    expect(refused.statusCode).toBe(status);
    expect(refused.json().error.message).toMatch(message);
    // Whatever was refused, no credential comes back in the answer.
    expect(refused.body).not.toContain('hunter2');
  });

  it('refuses file:// unless the server allows it, and clones nothing when the remote does not exist', async () => {
    const strict = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_DIR: workspace });
    try {
      const org = (await strict.app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await headers(), payload: { slug: 'strict', name: 'S' } })).json().id;
      const refused = await strict.app.inject({ method: 'POST', url: `/api/code-roach/organizations/${org}/projects`, headers: await headers(), payload: { name: 'x', gitUrl: `file://${bare}` } });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.message).toMatch(/ROACH_GIT_ALLOW_FILE/);
    } finally {
      await strict.app.close();
      await strict.db.close();
    }
    const missing = await create({ name: 'missing', gitUrl: `file://${bare}-nope` });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('CR_ERR_GIT');
    expect((await readdir(path.join(workspace, orgId))).filter((entry) => entry.endsWith('.cloning'))).toEqual([]);
  });
});
