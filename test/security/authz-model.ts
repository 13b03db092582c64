import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { as } from './authz-apps.js';

/**
 * A small reference model of the authorization rules, written from the text rather than from
 * the code, and the world it is checked in: org A (projects P1, P2, job J1 on P1), org B (project PF,
 * job JF on PF), users with every organization role × project role on P1, and API keys of every role
 * × project scope.
 */
export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type ProjectRole = 'admin' | 'member' | 'viewer';
type Scope = 'organization' | 'key' | 'project' | 'project-or-organization' | 'job';
type Source = 'path' | 'query' | 'body';

const READ = ['org:read', 'project:read'];
const WORK = [...READ, 'crawl:run', 'fix:decide', 'notify:send'];
const ADMIN = [...WORK, 'members:manage', 'keys:manage', 'audit:read', 'project:create', 'channels:manage', 'llm:manage'];
export const MODEL_PERMISSIONS: Record<Role, readonly string[]> = { owner: ADMIN, admin: ADMIN, member: WORK, viewer: READ };

export interface ModelRoute {
  readonly permission: string;
  readonly scope: Scope;
  readonly from: Source;
}

const R = (permission: string, scope: Scope, from: Source): ModelRoute => ({ permission, scope, from });
const O = '/api/code-roach/organizations/:org';
/** Every organization-scoped route as the issue describes it: its permission, what it acts on, where the id is. */
export const MODEL_ROUTES: Record<string, ModelRoute> = {
  [`GET ${O}`]: R('org:read', 'organization', 'path'),
  [`GET ${O}/members`]: R('org:read', 'organization', 'path'),
  [`PUT ${O}/members/:subject`]: R('members:manage', 'organization', 'path'),
  [`DELETE ${O}/members/:subject`]: R('members:manage', 'organization', 'path'),
  [`PUT ${O}/projects/:projectId/members/:subject`]: R('members:manage', 'project', 'path'),
  [`GET ${O}/api-keys`]: R('keys:manage', 'key', 'path'),
  [`POST ${O}/api-keys`]: R('keys:manage', 'key', 'path'),
  [`DELETE ${O}/api-keys/:id`]: R('keys:manage', 'key', 'path'),
  [`GET ${O}/audit`]: R('audit:read', 'organization', 'path'),
  [`GET ${O}/projects`]: R('project:read', 'organization', 'path'),
  [`POST ${O}/projects`]: R('project:create', 'organization', 'path'),
  [`PUT ${O}/projects/:project/settings`]: R('project:create', 'organization', 'path'),
  [`GET ${O}/patterns`]: R('org:read', 'organization', 'path'),
  [`GET ${O}/channels`]: R('channels:manage', 'organization', 'path'),
  [`POST ${O}/channels`]: R('channels:manage', 'organization', 'path'),
  [`DELETE ${O}/channels/:id`]: R('channels:manage', 'organization', 'path'),
  [`GET ${O}/llm-settings`]: R('llm:manage', 'organization', 'path'),
  [`PUT ${O}/llm-settings`]: R('llm:manage', 'organization', 'path'),
  [`DELETE ${O}/llm-settings`]: R('llm:manage', 'organization', 'path'),
  'GET /api/code-roach/issues': R('project:read', 'project', 'query'),
  'POST /api/code-roach/crawl': R('crawl:run', 'project', 'body'),
  'GET /api/code-roach/status': R('project:read', 'job', 'query'),
  'GET /api/code-roach/status/stream': R('project:read', 'job', 'query'),
  'GET /api/code-roach/review': R('project:read', 'project', 'query'),
  'GET /api/code-roach/review/:fixId': R('project:read', 'project', 'query'),
  'POST /api/code-roach/fix': R('fix:decide', 'project', 'body'),
  'GET /api/code-roach/analytics': R('project:read', 'project', 'query'),
  'GET /api/code-roach/file-health': R('project:read', 'project', 'query'),
  'POST /api/code-roach/notifications/send': R('notify:send', 'organization', 'body'),
  'GET /api/code-roach/developer/stats': R('project:read', 'project-or-organization', 'query'),
  'GET /api/code-roach/developer/team': R('project:read', 'project-or-organization', 'query'),
  'GET /api/code-roach/developer/recommendations': R('project:read', 'project-or-organization', 'query'),
};

/** Who calls: a user (roles in A and B, role on P1) or an API key of A (role, project list). */
export type Caller =
  | { readonly kind: 'user'; readonly subject: string; readonly orgRoles: { readonly A?: Role; readonly B?: Role }; readonly p1Role?: ProjectRole }
  | { readonly kind: 'key'; readonly name: string; readonly role: 'admin' | 'member' | 'viewer'; readonly projects: readonly ('P1' | 'P2')[] };

export type ProjectName = 'P1' | 'P2' | 'PF';
/** What the request names: a project (project routes, and project-or-organization with a project), an organization, or a job. */
export type Resource = { readonly project: ProjectName } | { readonly org: 'A' | 'B' } | { readonly job: 'J1' | 'JF' };
/** Where a stray id is added (nowhere, or a source the route does not read its id from), and whose it is. */
export type Stray = { readonly where: 'none' } | { readonly where: 'query' | 'body'; readonly value: 'own' | 'foreign' };

export type Outcome = 'allowed' | 'stray' | 'forbidden' | 'hidden';

const ORG_OF: Record<ProjectName, 'A' | 'B'> = { P1: 'A', P2: 'A', PF: 'B' };

/** The rules of issue 20, as a function: stray ids 400, then resolve, then role and permission. */
export function expected(caller: Caller, route: ModelRoute, resource: Resource, stray: Stray): Outcome {
  if (stray.where !== 'none') return 'stray';
  let org: 'A' | 'B';
  let project: ProjectName | null = null;
  if ('project' in resource) {
    project = resource.project;
    org = ORG_OF[project];
    // A project named under another organization's path is no project there.
    if (route.from === 'path' && project === 'PF') return 'hidden';
  } else if ('job' in resource) {
    project = resource.job === 'J1' ? 'P1' : 'PF';
    org = ORG_OF[project];
  } else {
    org = resource.org;
  }
  let role: Role | undefined;
  if (caller.kind === 'key') {
    if (org !== 'A') return 'hidden';
    if (caller.projects.length > 0) {
      if (project === null) return 'forbidden';
      if (!(caller.projects as readonly string[]).includes(project)) return 'hidden';
    }
    role = caller.role;
  } else {
    // Project roles exist on P1 only, and count only where the route acts on a project.
    role = (project === 'P1' ? caller.p1Role : undefined) ?? caller.orgRoles[org];
    if (!role) return 'hidden';
  }
  return MODEL_PERMISSIONS[role].includes(route.permission) ? 'allowed' : 'forbidden';
}

/** The answer, in the model's words. */
export function classify(status: number, body: string): Outcome | `unexpected ${number}` {
  if (status === 400 && /"source":"(path|query|body)"/.test(body)) return 'stray';
  if (status === 403) return 'forbidden';
  if (status === 404 && /No (organization|project|job) with that id/.test(body)) return 'hidden';
  if (status === 401 || status >= 500) return `unexpected ${status}`;
  return 'allowed';
}

export interface ModelWorld {
  readonly ids: { A: string; B: string; P1: string; P2: string; PF: string; J1: string; JF: string };
  readonly dirs: { A: string; B: string };
  readonly users: readonly Extract<Caller, { kind: 'user' }>[];
  readonly keys: readonly Extract<Caller, { kind: 'key' }>[];
  /** API key secrets by key name. */
  readonly secrets: Record<string, string>;
}

const NOWHERE = '00000000-0000-4000-8000-000000000000';

/** One valid request for a route and resource: the route's id goes only where the route declares it. */
export function requestFor(routeKey: string, route: ModelRoute, resource: Resource, w: ModelWorld, stray: Stray): { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: Record<string, unknown> } {
  const [method, pattern] = routeKey.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string];
  const org = 'org' in resource ? w.ids[resource.org] : 'project' in resource ? w.ids[ORG_OF[resource.project]] : w.ids.A;
  const projectId = 'project' in resource ? w.ids[resource.project] : w.ids.P1;
  // Project routes under a path keep the caller's organization A in the path (the project may be another's).
  const pathOrg = route.scope === 'project' && route.from === 'path' ? w.ids.A : org;
  const dir = org === w.ids.B ? w.dirs.B : w.dirs.A;
  let url = pattern.replace(':org', pathOrg).replace(':projectId', projectId).replace(':project/', `${projectId}/`).replace(':subject', method === 'DELETE' ? 'model-nobody' : 'model-target').replace(/:(id|fixId)/, NOWHERE);
  const query: string[] = [];
  let payload: Record<string, unknown> | undefined;
  const named = route.scope === 'project-or-organization' ? ('org' in resource ? { organizationId: org } : { projectId }) : route.scope === 'organization' || route.scope === 'key' ? { organizationId: org } : { projectId };
  if (route.scope === 'job') query.push(`jobId=${'job' in resource ? w.ids[resource.job] : w.ids.J1}`);
  else if (route.from === 'query') query.push(...Object.entries(named).map(([k, v]) => `${k}=${v}`));
  const bodies: Record<string, Record<string, unknown>> = {
    [`PUT ${O}/members/:subject`]: { role: 'viewer' },
    [`PUT ${O}/projects/:projectId/members/:subject`]: { role: 'viewer' },
    [`POST ${O}/api-keys`]: { name: 'model', role: 'viewer' },
    [`POST ${O}/projects`]: { name: 'model', path: dir },
    [`PUT ${O}/projects/:project/settings`]: { repositoryCommands: false },
    [`POST ${O}/channels`]: { name: 'model', type: 'webhook', url: 'http://127.0.0.1:9/model' },
    [`PUT ${O}/llm-settings`]: { provider: 'openai', model: 'gpt-4.1-mini' },
    'POST /api/code-roach/crawl': { projectId, generateFixes: false },
    'POST /api/code-roach/fix': { projectId, fixId: NOWHERE, action: 'reject' },
    'POST /api/code-roach/notifications/send': { organizationId: org, event: 'model.none', title: 't' },
  };
  if (method !== 'GET' && method !== 'DELETE') payload = { ...(bodies[routeKey] ?? {}) };
  // A stray id where this route does not take it: a project (own P1 or foreign PF), or, where the route
  // takes a project from that very source, an organization or job id beside it.
  if (stray.where !== 'none') {
    const project = stray.value === 'own' ? w.ids.P1 : w.ids.PF;
    const organization = stray.value === 'own' ? w.ids.A : w.ids.B;
    const job = stray.value === 'own' ? w.ids.J1 : w.ids.JF;
    const extra: [string, string] =
      route.from !== stray.where || route.scope === 'organization' || route.scope === 'key' || route.scope === 'job'
        ? ['projectId', project]
        : route.scope === 'project'
          ? ['organizationId', organization]
          : ['jobId', job];
    if (stray.where === 'query') query.push(`${extra[0]}=${extra[1]}`);
    else payload = { ...(payload ?? {}), [extra[0]]: extra[1] };
  }
  if (query.length > 0) url += `?${query.join('&')}`;
  return { method, url, ...(payload ? { payload } : {}) };
}

/** Seeds the model's world through the API. */
export async function seedModelWorld(app: FastifyInstance, workspace: string, prefix: string): Promise<ModelWorld> {
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, subject: string, payload?: Record<string, unknown>) => {
    const response = await app.inject({ method, url, headers: await as(subject), ...(payload ? { payload } : {}) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  };
  const ownerA = `${prefix}-owner-a`;
  const ownerB = `${prefix}-owner-b`;
  const A = (await call('POST', '/api/code-roach/organizations', ownerA, { slug: `${prefix}-a`, name: 'A' })).id as string;
  const B = (await call('POST', '/api/code-roach/organizations', ownerB, { slug: `${prefix}-b`, name: 'B' })).id as string;
  const dirs = { A: path.join(workspace, `${prefix}-a`), B: path.join(workspace, `${prefix}-b`) };
  const project = async (org: string, owner: string, name: string) => {
    const dir = path.join(workspace, `${prefix}-${name}`);
    await mkdir(dir, { recursive: true });
    return (await call('POST', `/api/code-roach/organizations/${org}/projects`, owner, { name, path: dir })).id as string;
  };
  await mkdir(dirs.A, { recursive: true });
  await mkdir(dirs.B, { recursive: true });
  const P1 = await project(A, ownerA, 'p1');
  const P2 = await project(A, ownerA, 'p2');
  const PF = await project(B, ownerB, 'pf');
  const J1 = (await call('POST', '/api/code-roach/crawl', ownerA, { projectId: P1, generateFixes: false })).jobId as string;
  const JF = (await call('POST', '/api/code-roach/crawl', ownerB, { projectId: PF, generateFixes: false })).jobId as string;
  const users: Extract<Caller, { kind: 'user' }>[] = [
    { kind: 'user', subject: ownerA, orgRoles: { A: 'owner' } },
    { kind: 'user', subject: ownerB, orgRoles: { B: 'owner' } },
  ];
  for (const orgRole of [undefined, 'admin', 'member', 'viewer'] as const) {
    for (const p1Role of [undefined, 'admin', 'member', 'viewer'] as const) {
      const subject = `${prefix}-u-${orgRole ?? 'none'}-${p1Role ?? 'none'}`;
      if (orgRole) await call('PUT', `/api/code-roach/organizations/${A}/members/${subject}`, ownerA, { role: orgRole });
      if (p1Role) await call('PUT', `/api/code-roach/organizations/${A}/projects/${P1}/members/${subject}`, ownerA, { role: p1Role });
      users.push({ kind: 'user', subject, orgRoles: orgRole ? { A: orgRole } : {}, ...(p1Role ? { p1Role } : {}) });
    }
  }
  const keys: Extract<Caller, { kind: 'key' }>[] = [];
  const secrets: Record<string, string> = {};
  for (const role of ['admin', 'member', 'viewer'] as const) {
    for (const projects of [[], ['P1'], ['P2']] as ('P1' | 'P2')[][]) {
      const name = `${role}-${projects.join('') || 'all'}`;
      const created = await call('POST', `/api/code-roach/organizations/${A}/api-keys`, ownerA, { name, role, projectIds: projects.map((p) => (p === 'P1' ? P1 : P2)) });
      secrets[name] = created.key as string;
      keys.push({ kind: 'key', name, role, projects });
    }
  }
  return { ids: { A, B, P1, P2, PF, J1, JF }, dirs, users, keys, secrets };
}

/** The Authorization header of a caller. */
export async function headersOf(caller: Caller, w: ModelWorld): Promise<{ authorization: string }> {
  return caller.kind === 'key' ? { authorization: `Bearer ${w.secrets[caller.name] as string}` } : as(caller.subject);
}

/** The resources a route can be aimed at: own and foreign ones. */
export function resourcesOf(route: ModelRoute): Resource[] {
  switch (route.scope) {
    case 'organization':
    case 'key':
      return [{ org: 'A' }, { org: 'B' }];
    case 'project':
      return [{ project: 'P1' }, { project: 'P2' }, { project: 'PF' }];
    case 'project-or-organization':
      return [{ project: 'P1' }, { project: 'P2' }, { project: 'PF' }, { org: 'A' }, { org: 'B' }];
    case 'job':
      return [{ job: 'J1' }, { job: 'JF' }];
  }
}

export interface Combo {
  readonly routeKey: string;
  readonly caller: Caller;
  readonly resource: Resource;
  readonly stray: Stray;
}

/** The strays a route can carry: a body only goes with POST and PUT. */
export function straysOf(routeKey: string): Stray[] {
  const withBody = routeKey.startsWith('POST ') || routeKey.startsWith('PUT ');
  const wheres: ('query' | 'body')[] = withBody ? ['query', 'body'] : ['query'];
  return [{ where: 'none' }, ...wheres.flatMap((where) => (['own', 'foreign'] as const).map((value) => ({ where, value })))];
}

/**
 * Sends each combination and compares the answer with the model. An allowed call of the event stream
 * would stay open until its job ends (no worker runs here): only its refusals are sent.
 */
export async function checkCombos(app: FastifyInstance, w: ModelWorld, combos: readonly Combo[]): Promise<{ sent: number; failures: string[] }> {
  const failures: string[] = [];
  let sent = 0;
  for (const combo of combos) {
    const route = MODEL_ROUTES[combo.routeKey] as ModelRoute;
    const want = expected(combo.caller, route, combo.resource, combo.stray);
    if (want === 'allowed' && combo.routeKey === 'GET /api/code-roach/status/stream') continue;
    const request = requestFor(combo.routeKey, route, combo.resource, w, combo.stray);
    const response = await app.inject({ method: request.method, url: request.url, headers: await headersOf(combo.caller, w), ...(request.payload ? { payload: request.payload } : {}) });
    sent += 1;
    const got = classify(response.statusCode, response.body);
    if (got !== want) {
      const who = combo.caller.kind === 'key' ? `key ${combo.caller.name}` : `user ${combo.caller.subject}`;
      failures.push(`${who} ${request.method} ${request.url} ${JSON.stringify(request.payload ?? {})}: want ${want}, got ${got} (${response.statusCode} ${response.body.slice(0, 120)})`);
    }
  }
  return { sent, failures };
}

/** The model's routes are exactly the app's organization-scoped routes, with the same declarations. */
export function expectModelMatchesApp(app: FastifyInstance): void {
  const declared = Object.fromEntries(
    [...app.routeAccess].filter(([, access]) => 'permission' in access).map(([route, access]) => [route, { ...(access as ModelRoute) }]),
  );
  expect(declared).toEqual(MODEL_ROUTES);
}

/**
 * The matrix test's extension, exhaustively: every route, aimed at every own and foreign resource, with
 * no stray id and with a foreign id in its query and (POST/PUT) its body, by project-scoped API keys,
 * by users holding a role on P1 only, and by users holding an organization role only.
 */
export function matrixExtensionCombos(w: ModelWorld): Combo[] {
  const callers: Caller[] = [
    ...w.keys.filter((key) => key.projects.length > 0),
    ...w.users.filter((user) => (user.p1Role !== undefined) !== (user.orgRoles.A !== undefined)),
  ];
  const combos: Combo[] = [];
  for (const [routeKey, route] of Object.entries(MODEL_ROUTES)) {
    const strays = straysOf(routeKey).filter((stray) => stray.where === 'none' || stray.value === 'foreign');
    for (const caller of callers) for (const resource of resourcesOf(route)) for (const stray of strays) combos.push({ routeKey, caller, resource, stray });
  }
  return combos;
}
