import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlWithStore } from '../../src/main/run-crawl.js';
import { resolveCrawlSettings } from '../../src/main/settings.js';
import { createAttributionStore } from '../../src/store/developer-store.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { cleanupTemp, run, tempDir } from '../helpers/project.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;
let orgId: string;
const as = async (subject: string) => ({
  authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))}`,
});

/** Commits everything in `dir` as the given author. */
async function commitAs(dir: string, name: string, email: string, message: string): Promise<void> {
  const git = (...args: string[]) => run('git', ['-c', `user.name=${name}`, '-c', `user.email=${email}`, '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  await git('add', '-A');
  const committed = await git('commit', '-q', '-m', message);
  if (committed.code !== 0) throw new Error(committed.stderr);
}

async function register(name: string, dir: string): Promise<string> {
  const created = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await as('olive'), payload: { name, path: dir } });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

async function crawlProject(projectId: string, dir: string, apply = false): Promise<void> {
  const settings = await resolveCrawlSettings(dir, { fix: apply, apply, progress: false, dataDir: path.join(workspace, `.data-${projectId}`) });
  await crawlWithStore(createPipelineStore(db), settings, { color: false, project: { organizationId: orgId, projectId }, attribution: createAttributionStore(db) });
}

beforeAll(async () => {
  workspace = await tempDir('roach-dev-');
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_ROOTS: workspace }));
  orgId = (await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await as('olive'), payload: { slug: 'devs', name: 'Devs' } })).json().id;
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('developer stats from git blame', () => {
  let projectId: string;
  let repo: string;
  const get = async (route: string, query: string, subject = 'olive') => app.inject({ url: `/api/code-roach/developer/${route}?${query}`, headers: await as(subject) });

  it('attributes issues to the authors of the flagged lines, and fixes to the author of the fixing commit', async () => {
    repo = path.join(workspace, 'repo');
    await mkdir(path.join(repo, 'src'), { recursive: true });
    await run('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    await writeFile(path.join(repo, 'src', 'a.js'), 'export function a(x) {\n  debugger;\n  return x + 1;\n}\n');
    await commitAs(repo, 'Alice A', 'Alice@Example.TEST', 'a');
    await writeFile(path.join(repo, 'src', 'b.js'), "export function sign(payload) {\n  debugger;\n  const h = require('node:crypto').createHash('md5').update(payload);\n  return h;\n}\n");
    await commitAs(repo, 'Bob B', 'bob@example.test', 'b');
    projectId = await register('repo', repo);
    await crawlProject(projectId, repo);

    const stats = (await get('stats', `projectId=${projectId}`)).json();
    expect(stats.attribution).toBe('available');
    const byAuthor = Object.fromEntries((stats.authors as { author: string }[]).map((a) => [a.author, a]));
    // E-mails are normalised (Alice committed with capitals).
    expect(byAuthor['alice@example.test']).toMatchObject({ name: 'Alice A', introduced: 1, fixed: 0, open: 1 });
    expect(byAuthor['bob@example.test']).toMatchObject({ introduced: 2, fixed: 0, open: 2 });
    const issueRows = await db.query<Record<string, unknown>>('SELECT introduced_by, introduced_commit FROM code_roach_issues');
    expect(issueRows.every((row) => typeof row.introduced_commit === 'string' && (row.introduced_commit as string).length === 40)).toBe(true);

    // Bob removes Alice's debugger statement: the fix is his.
    await writeFile(path.join(repo, 'src', 'a.js'), 'export function a(x) {\n  return x + 1;\n}\n');
    await commitAs(repo, 'Bob B', 'bob@example.test', 'fix a');
    await crawlProject(projectId, repo);
    const after = (await get('stats', `projectId=${projectId}`)).json();
    const bob = (after.authors as { author: string; fixed: number }[]).find((a) => a.author === 'bob@example.test');
    const alice = (after.authors as { author: string; open: number }[]).find((a) => a.author === 'alice@example.test');
    expect(bob?.fixed).toBe(1);
    expect(alice?.open).toBe(0);

    // Deleting a file attributes its issues' fixes to the deleting commit.
    await rm(path.join(repo, 'src', 'b.js'));
    await commitAs(repo, 'Alice A', 'alice@example.test', 'drop b');
    await crawlProject(projectId, repo);
    const third = (await get('stats', `projectId=${projectId}&author=ALICE@example.test`)).json();
    expect(third.authors).toEqual([expect.objectContaining({ author: 'alice@example.test', introduced: 1, fixed: 2 })]);
  });

  it('serves the team view and recommendations per project and per organization, in time windows', async () => {
    const team = (await get('team', `organizationId=${orgId}`)).json();
    expect(team).toMatchObject({ attribution: 'available', projectId: null, totals: { authors: 2, introduced: 3, fixed: 3, open: 0 } });
    expect(team.weeks.reduce((n: number, w: { introduced: number }) => n + w.introduced, 0)).toBe(3);
    expect(team.members.find((m: { author: string }) => m.author === 'alice@example.test').share).toBeCloseTo(2 / 3, 2);

    const recs = (await get('recommendations', `projectId=${projectId}&author=bob@example.test`)).json();
    expect(recs.items).toHaveLength(1);
    expect(recs.items[0].focus.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['js/no-debugger', 'js/no-weak-hash']);
    expect(recs.items[0].advice.join(' ')).toMatch(/js\/no-weak-hash \(1 introduced, 0 still open\) is a security rule/);

    const past = (await get('stats', `projectId=${projectId}&from=2001-01-01T00:00:00Z&to=2001-02-01T00:00:00Z`)).json();
    expect(past.authors).toEqual([]);
    const bad = await get('stats', `projectId=${projectId}&organizationId=${orgId}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/exactly one of projectId and organizationId/);
    expect((await get('stats', `projectId=${projectId}&from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z`)).statusCode).toBe(400);
  });

  it('answers non-git projects with empty data and the reason, never an error', async () => {
    const plain = path.join(await tempDir('roach-plain-'), 'x');
    await mkdir(plain);
    const inside = path.join(workspace, 'plain');
    await mkdir(inside);
    await writeFile(path.join(inside, 'c.js'), 'debugger;\n');
    const plainId = await register('plain', inside);
    const before = (await get('stats', `projectId=${plainId}`)).json();
    expect(before).toMatchObject({ attribution: 'unavailable (no crawl has recorded attribution yet)', authors: [] });
    await crawlProject(plainId, inside);
    for (const route of ['stats', 'team', 'recommendations']) {
      const response = await get(route, `projectId=${plainId}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().attribution).toBe('unavailable (not a git repository)');
    }
    expect((await get('stats', `projectId=${plainId}`)).json().authors).toEqual([]);
  });

  it('credits fixes Code Roach applied to Code Roach, not to a committer', async () => {
    const auto = path.join(workspace, 'auto');
    await mkdir(auto);
    await run('git', ['init', '-q', '-b', 'main'], { cwd: auto });
    await writeFile(path.join(auto, 'd.js'), 'export function d() {\n  debugger;\n  return 1;\n}\n');
    await commitAs(auto, 'Carol C', 'carol@example.test', 'd');
    const autoId = await register('auto', auto);
    await crawlProject(autoId, auto, true);
    const stats = (await get('stats', `projectId=${autoId}`)).json();
    expect(stats.authors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ author: 'carol@example.test', introduced: 1, open: 0 }),
        expect.objectContaining({ author: 'code-roach', fixed: 1 }),
      ]),
    );
  });

  it('hides other tenants behind 404 and lets viewers read', async () => {
    const stranger = await get('stats', `projectId=${projectId}`, 'mallory');
    expect(stranger.statusCode).toBe(404);
    expect((await get('team', `organizationId=${orgId}`, 'mallory')).statusCode).toBe(404);
    await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/members/vera`, headers: await as('olive'), payload: { role: 'viewer' } });
    expect((await get('recommendations', `organizationId=${orgId}`, 'vera')).statusCode).toBe(200);
  });
});
