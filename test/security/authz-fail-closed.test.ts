import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredAccess } from '../../src/api/access-control.js';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import type { FastifyInstance } from 'fastify';

/** Issue 11 point 2: authorization fails closed, and every route's permission is declared beside it and checked at start-up. */
const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const apps: { app: FastifyInstance; db: Database }[] = [];
const fresh = async () => {
  const built = await testApi({ JWT_SECRET: SECRET });
  apps.push(built);
  return built.app;
};
let app: FastifyInstance;
beforeAll(async () => {
  app = await fresh();
});
afterAll(async () => {
  for (const built of apps) {
    await built.app.close();
    await built.db.close();
  }
});

describe('routes without a declared permission', () => {
  it('cannot be registered: the app refuses them at start-up, naming the route', async () => {
    const target = await fresh();
    expect(() => target.get('/api/code-roach/undeclared', async () => ({ leaked: true }))).toThrow(/GET \/api\/code-roach\/undeclared declares no access/);
    expect(() =>
      target.post('/api/code-roach/organizations/:org/nothing', { config: { access: { scope: 'organization', permission: 'root:everything' as never, from: 'path' } } }, async () => ({})),
    ).toThrow(/POST \/api\/code-roach\/organizations\/:org\/nothing declares permission "root:everything"/);
    // A route taking its organization from the path must have one there.
    expect(() => target.delete('/api/code-roach/everything', { config: { access: { scope: 'organization', permission: 'org:read', from: 'path' } } }, async () => ({}))).toThrow(
      /DELETE \/api\/code-roach\/everything takes its organization from the path/,
    );
    // The undeclared route never became reachable.
    expect((await target.inject({ url: '/api/code-roach/undeclared' })).statusCode).toBe(404);
  });

  it('answer 403 if one ever reaches the permission check (the hook fails closed, it does not return early)', () => {
    const request = { method: 'GET', url: '/x', routeOptions: { url: '/x', config: {} } } as unknown as FastifyRequest;
    expect(() => declaredAccess(request)).toThrow(expect.objectContaining({ code: 'CR_ERR_FORBIDDEN', message: expect.stringMatching(/declares no permission/) }));
  });
});

describe('the registered routes', () => {
  it('each declare their access, every documented API route is among them, and none answers without credentials', async () => {
    const registered = [...app.routeAccess];
    const api = registered.filter(([route]) => route.includes(' /api/'));
    // 30 API routes at the time of writing; the count guards against a route escaping the enumeration.
    expect(api.length).toBeGreaterThanOrEqual(30);
    for (const [route, declared] of api) expect(declared.scope, route).not.toBe('public');
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.filter((route) => route.includes(' /api/')).sort()).toEqual(api.map(([route]) => route).sort());
    const uuid = '00000000-0000-4000-8000-000000000000';
    for (const [route] of api) {
      const [method, url] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string];
      const response = await app.inject({ method, url: url.replace(/:\w+/g, uuid), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
      expect(response.statusCode, route).toBe(401);
    }
    // Public routes are exactly health, readiness and the documentation.
    const open = registered.filter(([, declared]) => declared.scope === 'public').map(([route]) => route.split(' ')[1] as string);
    expect(open.every((url) => url === '/healthz' || url === '/readyz' || url === '/metrics' || url === '/docs' || url.startsWith('/docs/'))).toBe(true);
  });
});
