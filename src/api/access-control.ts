import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CACHE_TTL_SECONDS, cacheKeys } from '../cache/keys.js';
import { RoachError } from '../domain/errors.js';
import { isJobKind } from '../queue/catalogue.js';
import { organizationOfJobId } from '../queue/dedupe-keys.js';
import { authorize } from './access.js';
import type { Target } from './access.js';
import { createAuthenticator } from './auth.js';
import type { ApiDeps } from './context.js';
import { checkRouteDeclaration, refuseStrayIds } from './route-access.js';
import type { RouteAccess, ScopedAccess } from './route-access.js';

const WINDOW_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route ("METHOD /url") with its declared access, as checked at start-up. */
    routeAccess: ReadonlyMap<string, RouteAccess>;
  }
}

/** The declaration of the route a request matched; undefined for unmatched requests (the 404 handler). */
export function accessOf(request: FastifyRequest): RouteAccess | undefined {
  return request.routeOptions.config.access;
}

/** Unmatched requests (answered 404 by the not-found handler) and public routes need no credentials. */
export function isPublicRequest(request: FastifyRequest): boolean {
  return request.routeOptions.url === undefined || accessOf(request)?.scope === 'public';
}

/** The declared access of a matched route; a non-public route without one is refused (fails closed). */
export function declaredAccess(request: FastifyRequest): RouteAccess {
  const declared = accessOf(request);
  if (!declared) throw new RoachError('CR_ERR_FORBIDDEN', `${request.method} ${request.routeOptions.url ?? request.url} declares no permission: refused.`, { reason: 'undeclared-route' });
  return declared;
}

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/**
 * Authentication and authorization of every route, from the route's own declaration:
 * - start-up: a route registered without a valid declaration throws, naming it (buildApp fails);
 * - onRequest: unauthenticated and failed-auth requests are counted per IP and refused with 429 past
 *   the limit before any key lookup; then the caller is authenticated;
 * - preValidation: an id anywhere but the declared source is refused (400);
 * - preHandler: the declared id resolves to an organization (and project) and the caller's role
 *   there must hold the route's permission; a route with no declaration answers 403.
 */
export function installAccessControl(app: FastifyInstance, deps: ApiDeps): void {
  const declarations = new Map<string, RouteAccess>();
  app.decorate('routeAccess', declarations);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // HEAD routes Fastify adds for GETs share their GET's declaration.
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      checkRouteDeclaration(method, route.url, route.config?.access);
      declarations.set(`${method} ${route.url}`, route.config?.access as RouteAccess);
    }
  });

  const authenticate = createAuthenticator(deps.settings.jwt, deps.tenants, deps.cache);
  const failureLimit = deps.settings.authFailuresPerMinute;
  const failureKey = (ip: string) => cacheKeys.rateLimit(ip, 'auth-failure', Math.floor(Date.now() / WINDOW_MS));
  app.addHook('onRequest', async (request, reply) => {
    if (isPublicRequest(request)) return;
    // Before the key lookup: an address that keeps failing costs no database work past its limit.
    const key = failureKey(request.ip);
    const failures = (await deps.cache.get<number>(key)) ?? 0;
    if (failures >= failureLimit) {
      const retry = Math.ceil((WINDOW_MS - (Date.now() % WINDOW_MS)) / 1000);
      void reply.header('retry-after', String(retry));
      throw new RoachError('CR_ERR_RATE_LIMITED', `Too many unauthenticated requests from this address (${failureLimit} a minute); retry in ${retry} s.`, { reason: 'auth-failures' });
    }
    try {
      request.principal = await authenticate(request.headers.authorization);
    } catch (error) {
      await deps.cache.incr(key, CACHE_TTL_SECONDS.rateLimit).catch(() => 0);
      throw error;
    }
  });

  app.addHook('preValidation', async (request) => {
    if (isPublicRequest(request)) return;
    const declared = declaredAccess(request);
    if (declared.scope === 'caller' || declared.scope === 'public') return;
    refuseStrayIds(declared, { params: request.params, query: request.query, body: request.body });
  });

  // A project never changes organization, so its owner is cached (one query less per request).
  const projectOrganization = async (projectId: string): Promise<string | null> => {
    const key = cacheKeys.projectOrganization(projectId);
    const cached = await deps.cache.get<string>(key);
    if (cached) return cached;
    const owner = await deps.tenants.organizationOfProject(projectId);
    if (owner) await deps.cache.set(key, owner, CACHE_TTL_SECONDS.projectOrganization);
    return owner;
  };

  const noProject = (): RoachError => new RoachError('CR_ERR_NOT_FOUND', 'No project with that id.');
  const projectTarget = async (projectId: string, pathOrg: unknown): Promise<Target> => {
    const owner = await projectOrganization(projectId);
    if (!owner || (typeof pathOrg === 'string' && pathOrg !== owner)) throw noProject();
    return { organizationId: owner, projectId };
  };

  /** The resource the declaration names, read from the declared (validated) source only. */
  async function targetOf(request: FastifyRequest, declared: ScopedAccess): Promise<Target> {
    const source = record(declared.from === 'path' ? request.params : declared.from === 'query' ? request.query : request.body);
    const text = (name: string): string | null => (typeof source[name] === 'string' ? source[name] : null);
    const missing = (name: string) => new RoachError('CR_ERR_REQUEST_INVALID', `${name} is required in the ${declared.from} of this route.`, { field: name });
    switch (declared.scope) {
      case 'organization':
      case 'key': {
        const organizationId = text(declared.from === 'path' ? 'org' : 'organizationId');
        if (!organizationId) throw missing(declared.from === 'path' ? 'org' : 'organizationId');
        return { organizationId, projectId: null };
      }
      case 'project': {
        const projectId = text('projectId');
        if (!projectId) throw missing('projectId');
        return projectTarget(projectId, source.org);
      }
      case 'project-or-organization': {
        const projectId = text('projectId');
        if (projectId) return projectTarget(projectId, undefined);
        const organizationId = text('organizationId');
        if (!organizationId) throw missing('projectId or organizationId');
        return { organizationId, projectId: null };
      }
      case 'job': {
        const kind = text('kind') ?? 'codebase-crawl';
        const jobId = text('jobId');
        const none = new RoachError('CR_ERR_NOT_FOUND', 'No job with that id.');
        if (!jobId || !isJobKind(kind)) throw none;
        const job = await deps.queue.job(kind, jobId);
        const payload = record(job?.payload);
        if (!job || typeof payload.organizationId !== 'string') throw none;
        // An id naming an organization must name the job's own (ids are never reused across tenants).
        const named = organizationOfJobId(jobId);
        if (named !== null && named !== payload.organizationId.toLowerCase()) throw none;
        request.job = job;
        const projectId = typeof payload.projectId === 'string' ? payload.projectId : null;
        return { organizationId: payload.organizationId, projectId };
      }
    }
  }

  app.addHook('preHandler', async (request) => {
    if (isPublicRequest(request)) return;
    const declared = declaredAccess(request);
    if (declared.scope === 'public' || declared.scope === 'caller') return;
    const principal = request.principal;
    if (!principal) throw new RoachError('CR_ERR_UNAUTHENTICATED', 'Missing Authorization header (Bearer <token or API key>).');
    const target = await targetOf(request, declared);
    request.targetOrganizationId = target.organizationId;
    try {
      request.scope = await authorize(deps.tenants, principal, target, declared.permission);
    } catch (error) {
      // Another organization's job answers exactly like a job that does not exist.
      if (declared.scope === 'job' && error instanceof RoachError && error.code === 'CR_ERR_NOT_FOUND') throw new RoachError('CR_ERR_NOT_FOUND', 'No job with that id.');
      throw error;
    }
  });
}
