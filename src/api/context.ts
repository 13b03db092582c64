import type { Cache } from '../cache/cache.js';
import type { ServiceEnvironment } from '../config/environment.js';
import type { OutboundPolicy } from '../integrations/net/ssrf-guard.js';
import type { PipelineStore } from '../crawl/ports.js';
import type { JobInfo, JobQueue } from '../queue/ports.js';
import type { DeveloperStore } from '../store/ports.js';
import type { TenantStore } from '../store/ports.js';
import type { Metrics } from './metrics.js';
import type { Principal } from './auth.js';
import type { Scope } from './access.js';

/** What the routes work with, built once in main/ and passed to buildApp. */
export interface ApiDeps {
  readonly tenants: TenantStore;
  readonly pipeline: PipelineStore;
  /** Developer attribution aggregates (issues introduced and fixed per author). */
  readonly developers: DeveloperStore;
  readonly queue: JobQueue;
  readonly cache: Cache;
  readonly settings: ServiceEnvironment['api'];
  /** Private destinations channels may point at (ROACH_OUTBOUND_ALLOW). */
  readonly outbound: OutboundPolicy;
  /** Projects from git URLs: clone target (null: refused) and whether file:// remotes are allowed. */
  readonly git?: { readonly workspaceDir: string | null; readonly allowFile: boolean };
  /** Prometheus metrics; GET /metrics is served only with a token (ROACH_METRICS_TOKEN). */
  readonly metrics?: { readonly collector: Metrics; readonly token: string | null };
  health(): Promise<{ readonly database: { readonly ok: boolean } }>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; null only on public routes (health, docs). */
    principal: Principal | null;
    /** Set once the route's permission check passed for an organization (and project). */
    scope: Scope | null;
    /** The organization the request aimed at, known before its permission check (for the audit log). */
    targetOrganizationId: string | null;
    /** Job routes: the job the route's jobId named, found and authorised before the handler. */
    job: JobInfo | null;
  }
}
