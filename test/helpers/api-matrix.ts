import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { ROLE_PERMISSIONS } from '../../src/api/permissions.js';
import type { Permission } from '../../src/api/permissions.js';
import type { ScopedAccess } from '../../src/api/route-access.js';
import type { OrganizationRole } from '../../src/store/repositories/tenancy.js';

/** Routes that act outside any one organization (listing one's own, creating a new one). */
export const UNSCOPED_ROUTES = ['GET /api/code-roach/organizations', 'POST /api/code-roach/organizations'];

/** The routes that act inside an organization, with their declarations, as the app registered them. */
export function scopedRoutes(app: FastifyInstance): Map<string, ScopedAccess> {
  const routes = new Map<string, ScopedAccess>();
  for (const [route, declared] of app.routeAccess) if ('permission' in declared) routes.set(route, declared);
  return routes;
}

/** "METHOD /url" -> permission, for every organization-scoped route of the app. */
export function routePermissions(app: FastifyInstance): Record<string, Permission> {
  return Object.fromEntries([...scopedRoutes(app)].map(([route, declared]) => [route, declared.permission]));
}

export interface MatrixIds {
  readonly orgId: string;
  readonly projectId: string;
  readonly jobId: string;
  /** A directory inside the workspace roots (project registration). */
  readonly workspaceDir: string;
}

interface RequestSpec {
  readonly url: string;
  readonly payload?: Record<string, unknown>;
}

const NOWHERE = '00000000-0000-4000-8000-000000000000';

/**
 * One valid request per route of the permission matrix: valid so that schema validation passes and the
 * answer is decided by the permission check. A route added to the matrix without a request here fails
 * the matrix test, as does a route registered without a matrix entry.
 */
export function matrixRequests(ids: MatrixIds): Record<string, RequestSpec> {
  const org = `/api/code-roach/organizations/${ids.orgId}`;
  const p = `projectId=${ids.projectId}`;
  return {
    'GET /api/code-roach/organizations/:org': { url: org },
    'GET /api/code-roach/organizations/:org/members': { url: `${org}/members` },
    'PUT /api/code-roach/organizations/:org/members/:subject': { url: `${org}/members/matrix-target`, payload: { role: 'viewer' } },
    'DELETE /api/code-roach/organizations/:org/members/:subject': { url: `${org}/members/matrix-nobody` },
    'PUT /api/code-roach/organizations/:org/projects/:projectId/members/:subject': { url: `${org}/projects/${ids.projectId}/members/matrix-target`, payload: { role: 'viewer' } },
    'GET /api/code-roach/organizations/:org/api-keys': { url: `${org}/api-keys` },
    'POST /api/code-roach/organizations/:org/api-keys': { url: `${org}/api-keys`, payload: { name: 'matrix', role: 'viewer' } },
    'DELETE /api/code-roach/organizations/:org/api-keys/:id': { url: `${org}/api-keys/${NOWHERE}` },
    'GET /api/code-roach/organizations/:org/audit': { url: `${org}/audit` },
    'GET /api/code-roach/organizations/:org/projects': { url: `${org}/projects` },
    'POST /api/code-roach/organizations/:org/projects': { url: `${org}/projects`, payload: { name: 'matrix', path: ids.workspaceDir } },
    'PUT /api/code-roach/organizations/:org/projects/:project/settings': { url: `${org}/projects/${ids.projectId}/settings`, payload: { repositoryCommands: false } },
    'GET /api/code-roach/issues': { url: `/api/code-roach/issues?${p}` },
    'POST /api/code-roach/crawl': { url: '/api/code-roach/crawl', payload: { projectId: ids.projectId, generateFixes: false } },
    'GET /api/code-roach/status': { url: `/api/code-roach/status?jobId=${ids.jobId}` },
    // A job that does not exist: the stream would otherwise stay open; the 404-versus-403 answer is what counts.
    'GET /api/code-roach/status/stream': { url: `/api/code-roach/status/stream?jobId=matrix-missing` },
    'GET /api/code-roach/review': { url: `/api/code-roach/review?${p}` },
    'GET /api/code-roach/review/:fixId': { url: `/api/code-roach/review/${NOWHERE}?${p}` },
    'POST /api/code-roach/fix': { url: '/api/code-roach/fix', payload: { projectId: ids.projectId, fixId: NOWHERE, action: 'reject' } },
    'GET /api/code-roach/analytics': { url: `/api/code-roach/analytics?${p}` },
    'GET /api/code-roach/file-health': { url: `/api/code-roach/file-health?${p}` },
    'GET /api/code-roach/organizations/:org/patterns': { url: `${org}/patterns` },
    'GET /api/code-roach/organizations/:org/channels': { url: `${org}/channels` },
    'POST /api/code-roach/organizations/:org/channels': { url: `${org}/channels`, payload: { name: 'matrix', type: 'webhook', url: 'http://127.0.0.1:9/matrix' } },
    'DELETE /api/code-roach/organizations/:org/channels/:id': { url: `${org}/channels/${NOWHERE}` },
    'GET /api/code-roach/organizations/:org/llm-settings': { url: `${org}/llm-settings` },
    'PUT /api/code-roach/organizations/:org/llm-settings': { url: `${org}/llm-settings`, payload: { provider: 'openai', model: 'gpt-4.1-mini' } },
    'DELETE /api/code-roach/organizations/:org/llm-settings': { url: `${org}/llm-settings` },
    'POST /api/code-roach/notifications/send': { url: '/api/code-roach/notifications/send', payload: { organizationId: ids.orgId, event: 'matrix.none', title: 't' } },
    'GET /api/code-roach/developer/stats': { url: `/api/code-roach/developer/stats?${p}` },
    'GET /api/code-roach/developer/team': { url: `/api/code-roach/developer/team?organizationId=${ids.orgId}` },
    'GET /api/code-roach/developer/recommendations': { url: `/api/code-roach/developer/recommendations?${p}` },
  };
}

export async function bearer(secret: string, subject: string): Promise<{ authorization: string }> {
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
  return { authorization: `Bearer ${token}` };
}

/** Every route the app documents is either in the matrix or declared unscoped, and has a matrix request. */
export async function expectMatrixCoversRoutes(app: FastifyInstance, ids: MatrixIds): Promise<void> {
  const doc = (await app.inject({ url: '/docs/json' })).json();
  const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  const permissions = routePermissions(app);
  expect(routes.filter((route) => route.includes(' /api/') && !UNSCOPED_ROUTES.includes(route)).sort()).toEqual(Object.keys(permissions).sort());
  expect(Object.keys(matrixRequests(ids)).sort()).toEqual(Object.keys(permissions).sort());
}

/**
 * Calls every matrix route as a member of each role (subjects `${role}-<suffix>`, members of the
 * organization already): roles without the route's permission get 403, roles with it never get 401,
 * 403 or a tenant-hiding 404 for the organization or project; a stranger gets 404 everywhere.
 */
export async function expectRoleMatrix(app: FastifyInstance, secret: string, ids: MatrixIds, subjects: Record<OrganizationRole, string>, stranger: string): Promise<void> {
  const requests = matrixRequests(ids);
  const failures: string[] = [];
  for (const [route, permission] of Object.entries(routePermissions(app))) {
    const spec = requests[route];
    if (!spec) throw new Error(`No matrix request for ${route}`);
    const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'DELETE';
    // Forbidden roles first, so allowed mutations (member changes, deletions) cannot change what they see.
    const roles = (Object.keys(subjects) as OrganizationRole[]).sort((a, b) => Number(ROLE_PERMISSIONS[a].has(permission)) - Number(ROLE_PERMISSIONS[b].has(permission)));
    for (const role of roles) {
      const response = await app.inject({ method, url: spec.url, headers: await bearer(secret, subjects[role]), ...(spec.payload ? { payload: spec.payload } : {}) });
      const allowed = ROLE_PERMISSIONS[role].has(permission);
      const hidden = response.statusCode === 404 && /No (organization|project) with that id/.test(response.body);
      const ok = allowed ? ![401, 403].includes(response.statusCode) && !hidden : response.statusCode === 403;
      if (!ok) failures.push(`${role} ${route}: ${response.statusCode} ${response.body.slice(0, 160)}`);
    }
    const outsider = await app.inject({ method, url: spec.url, headers: await bearer(secret, stranger), ...(spec.payload ? { payload: spec.payload } : {}) });
    if (outsider.statusCode !== 404) failures.push(`stranger ${route}: ${outsider.statusCode}`);
  }
  expect(failures).toEqual([]);
}
