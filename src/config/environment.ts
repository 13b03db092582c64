import { z } from 'zod';
import { RoachError } from '../domain/errors.js';
import { describeZodError } from '../domain/describe-zod-error.js';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _ only');
const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) {
        context.addIssue({ code: 'custom', message: `${name} must be a whole number of at least 1, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

/** Unset or empty: undefined, so the built-in default applies. */
const optionalPositiveInt = (name: string) => positiveInt(name, 0).transform((n) => (n === 0 ? undefined : n));

const EnvironmentSchema = z.object({
  DATABASE_URL: z.string().trim().optional(),
  /** A PostgreSQL schema to keep Code Roach's tables in (default: the connection's search_path). */
  DATABASE_SCHEMA: identifier.optional(),
  REDIS_URL: z.string().trim().optional(),
  /** Prefix of every Redis key (queues and cache), so deployments can share one Redis. */
  ROACH_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'letters, digits and _ : . - only').default('roach'),
  ROACH_DATA_DIR: z.string().optional(),
  /** The organization CLI commands act for in the service mode. */
  ROACH_ORG: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a slug: lower-case letters, digits and -').default('local'),
  ROACH_DB_POOL_MAX: positiveInt('ROACH_DB_POOL_MAX', 10),
  HOST: z.string().default('127.0.0.1'),
  /** 0 asks the system for a free port (tests). */
  PORT: z
    .string()
    .optional()
    .transform((value, context) => {
      const n = value === undefined || value === '' ? 3000 : Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65_535) {
        context.addIssue({ code: 'custom', message: `PORT must be a port number (0-65535), got "${value}"` });
        return z.NEVER;
      }
      return n;
    }),
  /** HS256 shared secret for bearer tokens (Supabase-style providers). */
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** An OIDC provider's JWKS URL for RS256/ES256 bearer tokens. */
  JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_ISSUER: z.string().optional(),
  /** Longest lifetime (seconds) a bearer token may have: its exp must be at most this far after its iat (or now). */
  ROACH_JWT_MAX_LIFETIME: positiveInt('ROACH_JWT_MAX_LIFETIME', 24 * 60 * 60),
  /** Seconds of clock difference tolerated when checking a token's exp, nbf and iat. */
  ROACH_JWT_CLOCK_SKEW: z
    .string()
    .optional()
    .transform((value, context) => {
      const n = value === undefined || value === '' ? 30 : Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 600) {
        context.addIssue({ code: 'custom', message: `ROACH_JWT_CLOCK_SKEW must be a whole number of seconds from 0 to 600, got "${value}"` });
        return z.NEVER;
      }
      return n;
    }),
  /** Unauthenticated or failed-auth requests per minute per IP address before 429 (checked before any key lookup). */
  ROACH_AUTH_FAILURE_LIMIT: positiveInt('ROACH_AUTH_FAILURE_LIMIT', 60),
  JWT_AUDIENCE: z.string().optional(),
  /** Comma-separated browser origins allowed to call the API. */
  CORS_ORIGINS: z.string().default(''),
  /** Requests per minute per caller for reads; writes get a fifth of it, crawls a fiftieth. */
  ROACH_RATE_LIMIT: positiveInt('ROACH_RATE_LIMIT', 600),
  /** Comma-separated folders the API may register projects under (nothing outside them is read or written). */
  ROACH_WORKSPACE_ROOTS: z.string().default(''),
  /** Signs outgoing webhook notifications (HMAC-SHA256). */
  ROACH_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** AES-256-GCM key (32 bytes, base64) sealing secrets at rest; embedded mode generates one in the data dir. */
  ROACH_SECRET_KEY: z.string().optional(),
  /** Comma-separated earlier keys, still opened while rows are re-sealed under ROACH_SECRET_KEY (rotation). */
  ROACH_SECRET_KEYS_PREVIOUS: z.string().default(''),
  /** Comma-separated host names or CIDR ranges outgoing requests may reach although private or loopback. */
  ROACH_OUTBOUND_ALLOW: z.string().default(''),
  /** Where projects registered from a git URL are cloned (default: <data dir>/workspace). */
  ROACH_WORKSPACE_DIR: z.string().optional(),
  /** "true" lets git URLs use file:// (tests, local mirrors); https and ssh are always allowed. */
  ROACH_GIT_ALLOW_FILE: z.enum(['true', 'false']).default('false'),
  /** Per-file analysis limits of crawl jobs (docs/security.md, "Limits"); unset: the built-in defaults. */
  ROACH_ANALYSIS_FILE_TIMEOUT_MS: optionalPositiveInt('ROACH_ANALYSIS_FILE_TIMEOUT_MS'),
  ROACH_ANALYSIS_THREAD_HEAP_MB: optionalPositiveInt('ROACH_ANALYSIS_THREAD_HEAP_MB'),
  ROACH_ANALYSIS_FILE_MEMORY_MB: optionalPositiveInt('ROACH_ANALYSIS_FILE_MEMORY_MB'),
  /** Bearer token for GET /metrics; without it the API serves no metrics (workers use --metrics-port). */
  ROACH_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /**
   * TEST ONLY: a folder through which fault tests pause crawl jobs at a named phase
   * (src/main/test-checkpoints.ts). Never set it in a deployment.
   */
  ROACH_TEST_CHECKPOINT_DIR: z.string().optional(),
});

/** Where the process keeps its data and its queues: chosen here, once, from the environment. */
export interface ServiceEnvironment {
  readonly database: { readonly kind: 'postgres'; readonly url: string; readonly schema: string | undefined; readonly poolMax: number } | { readonly kind: 'embedded'; readonly dataDir: string | undefined };
  readonly redis: { readonly url: string; readonly prefix: string } | null;
  readonly organizationSlug: string;
  readonly webhookSecret: string | null;
  readonly secrets: { readonly key: string | null; readonly previousKeys: readonly string[] };
  readonly outbound: { readonly allow: readonly string[] };
  readonly git: { readonly workspaceDir: string | null; readonly allowFile: boolean };
  readonly metricsToken: string | null;
  /** TEST ONLY (ROACH_TEST_CHECKPOINT_DIR): where crawl jobs announce phases and wait to be released. */
  readonly testCheckpointDir: string | null;
  /** Analysis limits the operator set; a missing one takes the pipeline's default. */
  readonly analysis: { readonly fileTimeoutMs?: number; readonly threadHeapMb?: number; readonly fileMemoryMb?: number };
  readonly api: {
    readonly host: string;
    readonly port: number;
    readonly jwt: {
      readonly secret: string | null;
      readonly jwksUrl: string | null;
      readonly issuer: string | null;
      readonly audience: string | null;
      /** Longest accepted lifetime: exp at most this many seconds after iat (or after now without iat). */
      readonly maxLifetimeSeconds: number;
      /** Clock difference tolerated on exp, nbf and iat. */
      readonly clockSkewSeconds: number;
    };
    readonly corsOrigins: readonly string[];
    readonly readsPerMinute: number;
    /** Unauthenticated or failed-auth requests per minute per IP before 429. */
    readonly authFailuresPerMinute: number;
    readonly workspaceRoots: readonly string[];
  };
}

const list = (value: string): string[] => value.split(',').map((item) => item.trim()).filter(Boolean);

/** Parses the environment into a frozen ServiceEnvironment; a bad value fails naming the variable. */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceEnvironment {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `Invalid environment: ${describeZodError(parsed.error)}`, {});
  }
  const e = parsed.data;
  return Object.freeze({
    database: e.DATABASE_URL
      ? Object.freeze({ kind: 'postgres' as const, url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, poolMax: e.ROACH_DB_POOL_MAX })
      : Object.freeze({ kind: 'embedded' as const, dataDir: e.ROACH_DATA_DIR }),
    redis: e.REDIS_URL ? Object.freeze({ url: e.REDIS_URL, prefix: e.ROACH_REDIS_PREFIX }) : null,
    organizationSlug: e.ROACH_ORG,
    webhookSecret: e.ROACH_WEBHOOK_SECRET ?? null,
    secrets: Object.freeze({ key: e.ROACH_SECRET_KEY?.trim() || null, previousKeys: Object.freeze(list(e.ROACH_SECRET_KEYS_PREVIOUS)) }),
    outbound: Object.freeze({ allow: Object.freeze(list(e.ROACH_OUTBOUND_ALLOW)) }),
    git: Object.freeze({ workspaceDir: e.ROACH_WORKSPACE_DIR ?? null, allowFile: e.ROACH_GIT_ALLOW_FILE === 'true' }),
    metricsToken: e.ROACH_METRICS_TOKEN ?? null,
    testCheckpointDir: e.ROACH_TEST_CHECKPOINT_DIR || null,
    analysis: Object.freeze({
      ...(e.ROACH_ANALYSIS_FILE_TIMEOUT_MS ? { fileTimeoutMs: e.ROACH_ANALYSIS_FILE_TIMEOUT_MS } : {}),
      ...(e.ROACH_ANALYSIS_THREAD_HEAP_MB ? { threadHeapMb: e.ROACH_ANALYSIS_THREAD_HEAP_MB } : {}),
      ...(e.ROACH_ANALYSIS_FILE_MEMORY_MB ? { fileMemoryMb: e.ROACH_ANALYSIS_FILE_MEMORY_MB } : {}),
    }),
    api: Object.freeze({
      host: e.HOST,
      port: e.PORT,
      jwt: Object.freeze({
        secret: e.JWT_SECRET ?? null,
        jwksUrl: e.JWKS_URL ?? null,
        issuer: e.JWT_ISSUER ?? null,
        audience: e.JWT_AUDIENCE ?? null,
        maxLifetimeSeconds: e.ROACH_JWT_MAX_LIFETIME,
        clockSkewSeconds: e.ROACH_JWT_CLOCK_SKEW,
      }),
      corsOrigins: Object.freeze(e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)),
      readsPerMinute: e.ROACH_RATE_LIMIT,
      authFailuresPerMinute: e.ROACH_AUTH_FAILURE_LIMIT,
      workspaceRoots: Object.freeze(e.ROACH_WORKSPACE_ROOTS.split(',').map((r) => r.trim()).filter(Boolean)),
    }),
  });
}
