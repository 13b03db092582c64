import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Cache } from '../cache/cache.js';
import { CACHE_TTL_SECONDS, cacheKeys } from '../cache/keys.js';
import { RoachError } from '../domain/errors.js';
import { TOOL_VERSION } from '../main/version.js';
import { actorOf, authorize } from './access.js';
import { createAuthenticator } from './auth.js';
import type { ApiDeps } from './context.js';
import { errorBody, handleError } from './errors.js';
import { metricsAuthorized } from './metrics.js';
import { ROUTE_PERMISSIONS } from './permissions.js';
import { developerRoutes } from './routes/developer.js';
import { healthRoutes } from './routes/health.js';
import { insightRoutes } from './routes/insights.js';
import { notificationRoutes } from './routes/notifications.js';
import { organizationRoutes } from './routes/organizations.js';
import { projectSettingsRoutes } from './routes/project-settings.js';
import { workRoutes } from './routes/work.js';

/** Routes anyone may call: liveness, readiness and the API documentation. */
export function isPublicRoute(url: string | undefined): boolean {
  // /metrics checks its own token (ROACH_METRICS_TOKEN): scrapers are not API users.
  return url === undefined || url === '/metrics' || url === '/healthz' || url === '/readyz' || url === '/docs' || url.startsWith('/docs/');
}

/** Mutating requests are audited; reads are not. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type RouteClass = 'read' | 'write' | 'crawl';
function routeClass(request: FastifyRequest): RouteClass {
  if (request.routeOptions.url === '/api/code-roach/crawl') return 'crawl';
  return MUTATING.has(request.method) ? 'write' : 'read';
}

/** @fastify/rate-limit's store over our Cache (Redis in the service, in memory embedded): fixed one-minute windows. */
function cacheStore(cache: Cache): new () => FastifyRateLimitStore {
  return class CacheRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const window = Math.floor(Date.now() / timeWindow);
      cache
        .incr(cacheKeys.rateLimit(key, 'api', window), Math.ceil(timeWindow / 1000))
        .then((current) => callback(null, { current, ttl: (window + 1) * timeWindow - Date.now() }), (error: unknown) => callback(error as Error));
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/**
 * The REST API as one Fastify instance: security headers, CORS allow-list, request ids, zod-checked
 * routes documented at /docs, authentication on every non-public route, one permission matrix,
 * rate limits per caller and route class, and an audit record of every mutating request.
 */
export async function buildApp(deps: ApiDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('CR_ERR_NOT_FOUND', `No route ${request.method} ${request.url}.`, request.id)));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cors, { origin: deps.settings.corsOrigins.length > 0 ? [...deps.settings.corsOrigins] : false, credentials: true });
  await app.register(swagger, {
    openapi: { info: { title: 'Code Roach API', version: TOOL_VERSION }, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }, security: [{ bearer: [] }] },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('principal', null);
  app.decorateRequest('scope', null);
  app.decorateRequest('targetOrganizationId', null);
  const authenticate = createAuthenticator(deps.settings.jwt, deps.tenants, deps.cache);
  app.addHook('onRequest', async (request) => {
    if (isPublicRoute(request.routeOptions.url)) return;
    request.principal = await authenticate(request.headers.authorization);
  });

  const perMinute = deps.settings.readsPerMinute;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    store: cacheStore(deps.cache),
    allowList: (request) => isPublicRoute(request.routeOptions.url),
    keyGenerator: (request) => `${request.principal ? actorOf(request.principal) : request.ip}:${routeClass(request)}`,
    max: (request) => {
      const kind = routeClass(request);
      return kind === 'read' ? perMinute : kind === 'write' ? Math.max(1, Math.floor(perMinute / 5)) : Math.max(1, Math.floor(perMinute / 50));
    },
    errorResponseBuilder: (request, context) =>
      Object.assign(new RoachError('CR_ERR_RATE_LIMITED', `Rate limit of ${context.max} ${routeClass(request)} requests a minute reached; retry in ${context.after}.`), { statusCode: 429 }),
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

  // The permission check of every organization-scoped route, from the one matrix.
  app.addHook('preHandler', async (request) => {
    const url = request.routeOptions.url;
    if (isPublicRoute(url) || !request.principal) return;
    const permission = ROUTE_PERMISSIONS[`${request.method} ${url}`];
    if (!permission) return;
    const params = (request.params ?? {}) as { org?: string };
    const bodyOrg = ((request.body ?? {}) as { organizationId?: string }).organizationId ?? ((request.query ?? {}) as { organizationId?: string }).organizationId;
    const projectId = ((request.query ?? {}) as { projectId?: string }).projectId ?? ((request.body ?? {}) as { projectId?: string }).projectId ?? null;
    let organizationId = params.org ?? bodyOrg ?? null;
    if (projectId) {
      const owner = await projectOrganization(projectId);
      if (!owner || (organizationId && owner !== organizationId)) throw new RoachError('CR_ERR_NOT_FOUND', 'No project with that id.');
      organizationId = owner;
    }
    request.targetOrganizationId = organizationId;
    // Job routes find the organization in the job itself and authorise in the handler.
    if (organizationId) request.scope = await authorize(deps.tenants, request.principal, organizationId, permission, projectId);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!MUTATING.has(request.method) || isPublicRoute(request.routeOptions.url)) return;
    await deps.tenants
      .recordAudit({
        organizationId: request.scope?.organizationId ?? request.targetOrganizationId,
        actor: actorOf(request.principal),
        action: `${request.method} ${request.routeOptions.url ?? request.url}`,
        target: JSON.stringify({ params: request.params ?? {}, query: request.query ?? {} }),
        outcome: reply.statusCode < 400 ? 'success' : 'failure',
        statusCode: reply.statusCode,
        requestId: request.id,
        ip: request.ip,
        details: {},
      })
      .catch((error: unknown) => request.log.error({ err: error }, 'audit record failed'));
  });

  const metrics = deps.metrics;
  if (metrics) {
    app.addHook('onResponse', async (request, reply) => {
      metrics.collector.httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    const token = metrics.token;
    if (token) {
      app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
        if (!metricsAuthorized(request.headers.authorization, token)) throw new RoachError('CR_ERR_UNAUTHENTICATED', 'GET /metrics needs "Authorization: Bearer <ROACH_METRICS_TOKEN>".');
        return reply.type(metrics.collector.registry.contentType).send(await metrics.collector.registry.metrics());
      });
    }
  }
  await app.register(healthRoutes(deps));
  await app.register(organizationRoutes(deps));
  await app.register(workRoutes(deps));
  await app.register(insightRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(developerRoutes(deps));
  await app.register(projectSettingsRoutes(deps));
  return app;
}
