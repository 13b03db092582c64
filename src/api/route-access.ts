import { RoachError } from '../domain/errors.js';
import { PERMISSIONS, ROLE_PERMISSIONS } from './permissions.js';
import type { Permission } from './permissions.js';

/** Where a route's resource ids come from: exactly one place per route. */
export type IdSource = 'path' | 'query' | 'body';

/**
 * What a route acts on, declared next to the route (`config: { access }`) and enforced by one hook:
 * - `public`: no credentials (health, docs);
 * - `caller`: any authenticated caller, acting on themselves only (their organizations, a new one);
 * - `organization` / `key`: an organization (`:org` in the path, `organizationId` in a query or body);
 *   only organization roles count, and a project-scoped API key is refused;
 * - `project`: a project (`projectId`); the caller's role on that project replaces the organization role;
 * - `project-or-organization`: exactly one of `projectId` and `organizationId` (per-project or org-wide reads);
 * - `job`: a queued job (`jobId`, `kind`), authorised on the project or organization the job works for.
 */
export type RouteAccess =
  | { readonly scope: 'public' }
  | { readonly scope: 'caller' }
  | { readonly scope: 'organization' | 'key' | 'project' | 'project-or-organization' | 'job'; readonly permission: Permission; readonly from: IdSource };

export type ScopedAccess = Extract<RouteAccess, { permission: Permission }>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route and which ids name its resource (see RouteAccess). */
    access?: RouteAccess;
  }
}

/** Declarations, short enough to sit beside each route. */
export const access = {
  public: (): { access: RouteAccess } => ({ access: { scope: 'public' } }),
  caller: (): { access: RouteAccess } => ({ access: { scope: 'caller' } }),
  organization: (permission: Permission, from: IdSource = 'path'): { access: RouteAccess } => ({ access: { scope: 'organization', permission, from } }),
  key: (permission: Permission): { access: RouteAccess } => ({ access: { scope: 'key', permission, from: 'path' } }),
  project: (permission: Permission, from: IdSource): { access: RouteAccess } => ({ access: { scope: 'project', permission, from } }),
  projectOrOrganization: (permission: Permission): { access: RouteAccess } => ({ access: { scope: 'project-or-organization', permission, from: 'query' } }),
  job: (permission: Permission): { access: RouteAccess } => ({ access: { scope: 'job', permission, from: 'query' } }),
};

/** Every parameter name that names a tenant resource; each may appear only where its route declares. */
export const ID_NAMES = ['org', 'organizationId', 'projectId', 'jobId'] as const;
export type IdName = (typeof ID_NAMES)[number];

/** The id names a route reads from its declared source. */
export function idNamesOf(declared: ScopedAccess): readonly IdName[] {
  switch (declared.scope) {
    case 'organization':
    case 'key':
      return declared.from === 'path' ? ['org'] : ['organizationId'];
    case 'project':
      // A project named in the path sits under its organization's path (checked to match).
      return declared.from === 'path' ? ['org', 'projectId'] : ['projectId'];
    case 'project-or-organization':
      return ['projectId', 'organizationId'];
    case 'job':
      return ['jobId'];
  }
}

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * Refuses (400) a request that carries a resource id anywhere but where its route declares it: the id
 * that is authorised is then the only id the handler can use. Runs on the raw request (before the
 * route's schema strips unknown query keys), so `?projectId=` on an organization route is refused
 * rather than silently ignored.
 */
export function refuseStrayIds(declared: ScopedAccess, raw: { params: unknown; query: unknown; body: unknown }): void {
  const allowed = new Set<IdName>(idNamesOf(declared));
  const sources: Record<IdSource, Record<string, unknown>> = { path: record(raw.params), query: record(raw.query), body: record(raw.body) };
  for (const source of ['path', 'query', 'body'] as const) {
    for (const name of ID_NAMES) {
      if (sources[source][name] === undefined) continue;
      if (source === declared.from && allowed.has(name)) continue;
      const where = declared.from === 'path' ? 'its path' : `its ${declared.from}`;
      throw new RoachError('CR_ERR_REQUEST_INVALID', `${name} is not accepted in the ${source} of this route: its ${declared.scope} is named in ${where} only.`, { field: name, source });
    }
  }
}

/**
 * Start-up check of one route's declaration: every non-public route declares a permission the
 * matrix grants to some role and one id source. Throws naming the route, so an undeclared route
 * stops the server from starting instead of answering without a check.
 */
export function checkRouteDeclaration(method: string, url: string, declared: RouteAccess | undefined): void {
  const route = `${method} ${url}`;
  if (!declared) throw new RoachError('CR_ERR_SERVICE_CONFIG', `Route ${route} declares no access (config.access): every route states its permission and scope.`, { route });
  if (declared.scope === 'public' || declared.scope === 'caller') return;
  if (!PERMISSIONS.includes(declared.permission) || !Object.values(ROLE_PERMISSIONS).some((granted) => granted.has(declared.permission))) {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `Route ${route} declares permission "${declared.permission}", which no role of the matrix holds.`, { route });
  }
  if (declared.from === 'path' && !idNamesOf(declared).some((name) => url.includes(`:${name}`))) {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `Route ${route} takes its ${declared.scope} from the path but has no :${idNamesOf(declared).join('/:')} parameter.`, { route });
  }
}
