import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { routePermissions } from '../helpers/api-matrix.js';
import { cleanupTemp, copyFixture, tempDir } from '../helpers/project.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;

async function token(subject: string, claims: Record<string, unknown> = {}, expires = '5m', audience = 'code-roach'): Promise<string> {
  return new SignJWT({ email: `${subject}@example.test`, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer('https://auth.example.test')
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(SECRET));
}

const as = async (subject: string) => ({ authorization: `Bearer ${await token(subject)}` });

beforeAll(async () => {
  workspace = await tempDir('roach-ws-');
  ({ app, db } = await testApi({
    JWT_SECRET: SECRET,
    JWT_ISSUER: 'https://auth.example.test',
    JWT_AUDIENCE: 'code-roach',
    ROACH_WORKSPACE_ROOTS: workspace,
    CORS_ORIGINS: 'https://dash.example.test',
    ROACH_RATE_LIMIT: '100',
  }));
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('REST API', () => {
  let orgId: string;
  let projectId: string;

  it('answers health without credentials and everything else only with them, in one error format', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const anonymous = await app.inject({ url: '/api/code-roach/organizations' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'CR_ERR_UNAUTHENTICATED', requestId: anonymous.headers['x-request-id'] } });
    const expired = await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${await token('alice', {}, '-1m')}` } });
    expect(expired.json().error.message).toMatch(/expired/);
    const wrongAudience = await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${await token('alice', {}, '5m', 'other')}` } });
    expect(wrongAudience.statusCode).toBe(401);
    const forged = (await token('alice')).slice(0, -4) + 'AAAA';
    expect((await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
    const headers = (await app.inject({ url: '/healthz' })).headers;
    expect(headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets a user create an organization (as owner), register a project inside the workspace, and nothing outside it', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: await as('alice'), payload: { slug: 'acme', name: 'Acme' } });
    expect(created.statusCode).toBe(201);
    orgId = created.json().id;
    const dir = await copyFixture('sample-app');
    const inside = path.join(workspace, 'app');
    await symlink(dir, inside).catch(async () => mkdir(inside));
    const project = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await as('alice'), payload: { name: 'app', path: path.join(workspace, 'app', '..', 'app') } });
    // A symlink out of the workspace is refused even though its name is inside.
    expect(project.statusCode).toBe(403);
    const real = path.join(workspace, 'real');
    await mkdir(real);
    const ok = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await as('alice'), payload: { name: 'real', path: real } });
    expect(ok.statusCode).toBe(201);
    projectId = ok.json().id;
    const escape = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await as('alice'), payload: { name: 'etc', path: `${workspace}/../../etc` } });
    expect(escape.statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: await as('alice'), payload: { name: '', path: 5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'CR_ERR_REQUEST_INVALID', message: expect.stringMatching(/body\.name.*body\.path|body\.path.*body\.name/s) });
  });

  it('enforces roles from the one matrix and hides other tenants behind 404', async () => {
    await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/members/bob`, headers: await as('alice'), payload: { role: 'viewer' } });
    const viewerCrawl = await app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: await as('bob'), payload: { projectId } });
    expect(viewerCrawl.statusCode).toBe(403);
    expect((await app.inject({ url: `/api/code-roach/issues?projectId=${projectId}`, headers: await as('bob') })).statusCode).toBe(200);
    const stranger = await app.inject({ url: `/api/code-roach/issues?projectId=${projectId}`, headers: await as('mallory') });
    const missing = await app.inject({ url: `/api/code-roach/issues?projectId=00000000-0000-4000-8000-000000000000`, headers: await as('mallory') });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.message).toBe(missing.json().error.message);
    const escalate = await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/members/bob`, headers: await as('bob'), payload: { role: 'owner' } });
    expect(escalate.statusCode).toBe(403);
  });

  it('issues API keys shown once, stored hashed, scoped and revocable', async () => {
    const created = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/api-keys`, headers: await as('alice'), payload: { name: 'ci', role: 'member' } });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json();
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    const [stored] = await db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
    expect(stored?.key_hash).not.toContain(key);
    const listed = await app.inject({ url: `/api/code-roach/organizations/${orgId}/api-keys`, headers: await as('alice') });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    const crawl = await app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: { authorization: `Bearer ${key}` }, payload: { projectId, priority: 'critical' } });
    expect(crawl.statusCode).toBe(202);
    const status = await app.inject({ url: `/api/code-roach/status?kind=codebase-crawl&jobId=${crawl.json().jobId}`, headers: { authorization: `Bearer ${key}` } });
    expect(status.json()).toMatchObject({ state: 'waiting', priority: 'critical' });
    expect((await app.inject({ url: `/api/code-roach/status?kind=codebase-crawl&jobId=${crawl.json().jobId}`, headers: await as('mallory') })).statusCode).toBe(404);
    const keyAdmin = await app.inject({ url: `/api/code-roach/organizations/${orgId}/api-keys`, headers: { authorization: `Bearer ${key}` } });
    expect(keyAdmin.statusCode).toBe(403);
    await app.inject({ method: 'DELETE', url: `/api/code-roach/organizations/${orgId}/api-keys/${id}`, headers: await as('alice') });
    expect((await app.inject({ url: `/api/code-roach/issues?projectId=${projectId}`, headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
  });

  it('lets a project role widen an organization role on that project, and removing a member closes the door', async () => {
    const grant = await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/projects/${projectId}/members/bob`, headers: await as('alice'), payload: { role: 'member' } });
    expect(grant.statusCode).toBe(200);
    const crawl = await app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: await as('bob'), payload: { projectId } });
    expect(crawl.statusCode).toBe(202);
    const removed = await app.inject({ method: 'DELETE', url: `/api/code-roach/organizations/${orgId}/members/bob`, headers: await as('alice') });
    expect(removed.statusCode).toBe(204);
    expect((await app.inject({ url: `/api/code-roach/issues?projectId=${projectId}`, headers: await as('bob') })).statusCode).toBe(404);
    await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/members/bob`, headers: await as('alice'), payload: { role: 'viewer' } });
  });

  it('audits every mutating request, readable by admins only', async () => {
    const audit = await app.inject({ url: `/api/code-roach/organizations/${orgId}/audit?limit=100`, headers: await as('alice') });
    expect(audit.statusCode).toBe(200);
    const actions = audit.json().items.map((i: { action: string; outcome: string; actor: string }) => `${i.actor} ${i.action} ${i.outcome}`);
    expect(actions).toContain('user:alice POST /api/code-roach/organizations/:org/api-keys success');
    expect(actions).toContain('user:bob PUT /api/code-roach/organizations/:org/members/:subject failure');
    expect(actions.some((a: string) => a.startsWith('api-key:') && a.includes('POST /api/code-roach/crawl success'))).toBe(true);
    expect((await app.inject({ url: `/api/code-roach/organizations/${orgId}/audit`, headers: await as('bob') })).statusCode).toBe(403);
  });

  it('rate-limits per caller and route class with 429 and Retry-After', async () => {
    const headers = await as('carol');
    let last = 0;
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 25 && last !== 429; i++) {
      const response = await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers, payload: { slug: `c${i}-org`, name: 'c' } });
      last = response.statusCode;
      retryAfter = response.headers['retry-after'];
      if (last === 429) expect(response.json().error.code).toBe('CR_ERR_RATE_LIMITED');
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Reads have their own, larger budget.
    expect((await app.inject({ url: '/api/code-roach/organizations', headers })).statusCode).toBe(200);
  });

  it('serves an OpenAPI document naming every route of the permission matrix', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    for (const route of Object.keys(routePermissions(app))) expect(routes).toContain(route);
    expect((await app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
