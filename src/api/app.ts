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
import { cacheKeys } from '../cache/keys.js';
import { RoachError } from '../domain/errors.js';
import { TOOL_VERSION } from '../config/version.js';
import { actorOf } from './access.js';
import { installAccessControl, isPublicRequest } from './access-control.js';
import type { ApiDeps } from './context.js';
import { errorBody, handleError } from './errors.js';
import { metricsAuthorized } from './metrics.js';
import { developerRoutes } from './routes/developer.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/members.js';
import { insightRoutes } from './routes/insights.js';
import { notificationRoutes } from './routes/notifications.js';
import { llmSettingsRoutes } from './routes/llm-settings.js';
import { organizationRoutes } from './routes/organizations.js';
import { projectSettingsRoutes } from './routes/project-settings.js';
import { fixRoutes } from './routes/fixes.js';
import { reviewRoutes } from './routes/review.js';
import { crawlRoutes } from './routes/crawls.js';
import { issueRoutes } from './routes/issues.js';

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
  app.decorateRequest('principal', null);
  app.decorateRequest('scope', null);
  app.decorateRequest('targetOrganizationId', null);
  app.decorateRequest('job', null);
  // The API documentation is public: its routes come from @fastify/swagger-ui, so they are declared here.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...route.config, access: { scope: 'public' } };
  });
  installAccessControl(app, deps);

  await app.register(swagger, {
    openapi: { info: { title: 'Code Roach API', version: TOOL_VERSION }, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }, security: [{ bearer: [] }] },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const perMinute = deps.settings.readsPerMinute;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    store: cacheStore(deps.cache),
    allowList: (request) => isPublicRequest(request),
    keyGenerator: (request) => `${request.principal ? actorOf(request.principal) : request.ip}:${routeClass(request)}`,
    max: (request) => {
      const kind = routeClass(request);
      return kind === 'read' ? perMinute : kind === 'write' ? Math.max(1, Math.floor(perMinute / 5)) : Math.max(1, Math.floor(perMinute / 50));
    },
    errorResponseBuilder: (request, context) =>
      Object.assign(new RoachError('CR_ERR_RATE_LIMITED', `Rate limit of ${context.max} ${routeClass(request)} requests a minute reached; retry in ${context.after}.`), { statusCode: 429 }),
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!MUTATING.has(request.method) || isPublicRequest(request)) return;
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
      app.get('/metrics', { schema: { hide: true }, config: { access: { scope: 'public' } } }, async (request, reply) => {
        if (!metricsAuthorized(request.headers.authorization, token)) throw new RoachError('CR_ERR_UNAUTHENTICATED', 'GET /metrics needs "Authorization: Bearer <ROACH_METRICS_TOKEN>".');
        return reply.type(metrics.collector.registry.contentType).send(await metrics.collector.registry.metrics());
      });
    }
  }
  await app.register(healthRoutes(deps));
  await app.register(organizationRoutes(deps));
  await app.register(memberRoutes(deps));
  await app.register(issueRoutes(deps));
  await app.register(crawlRoutes(deps));
  await app.register(reviewRoutes(deps));
  await app.register(fixRoutes(deps));
  await app.register(insightRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(llmSettingsRoutes(deps));
  await app.register(developerRoutes(deps));
  await app.register(projectSettingsRoutes(deps));
  return app;
}
