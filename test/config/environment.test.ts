import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/environment.js';

describe('service environment', () => {
  it('chooses the embedded store and in-process queues when nothing is set', () => {
    const env = loadEnvironment({});
    expect(env).toMatchObject({ database: { kind: 'embedded', dataDir: undefined }, redis: null, organizationSlug: 'local', webhookSecret: null });
    expect(env.api).toEqual({
      host: '127.0.0.1',
      port: 3000,
      jwt: { secret: null, jwksUrl: null, issuer: null, audience: null, maxLifetimeSeconds: 86_400, clockSkewSeconds: 30 },
      corsOrigins: [],
      readsPerMinute: 600,
      authFailuresPerMinute: 60,
      workspaceRoots: [],
    });
    expect(Object.isFrozen(env) && Object.isFrozen(env.database)).toBe(true);
  });

  it('chooses PostgreSQL and Redis by DATABASE_URL and REDIS_URL', () => {
    const env = loadEnvironment({ DATABASE_URL: 'postgres://u@db/x', DATABASE_SCHEMA: 'team_a', REDIS_URL: 'redis://r:6379', ROACH_REDIS_PREFIX: 'acme', ROACH_DB_POOL_MAX: '20' });
    expect(env.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/x', schema: 'team_a', poolMax: 20 });
    expect(env.redis).toEqual({ url: 'redis://r:6379', prefix: 'acme' });
  });

  it.each([
    [{ ROACH_DB_POOL_MAX: '0' }, /ROACH_DB_POOL_MAX/],
    [{ DATABASE_SCHEMA: 'Robert"); DROP' }, /DATABASE_SCHEMA/],
    [{ ROACH_ORG: 'Not A Slug' }, /ROACH_ORG/],
    [{ ROACH_WEBHOOK_SECRET: 'short' }, /ROACH_WEBHOOK_SECRET: at least 16/],
    [{ PORT: '70000' }, /PORT must be a port number/],
    [{ ROACH_JWT_MAX_LIFETIME: '0' }, /ROACH_JWT_MAX_LIFETIME/],
    [{ ROACH_JWT_CLOCK_SKEW: '3600' }, /ROACH_JWT_CLOCK_SKEW/],
    [{ ROACH_AUTH_FAILURE_LIMIT: 'many' }, /ROACH_AUTH_FAILURE_LIMIT/],
    [{ JWT_SECRET: 'too-short' }, /JWT_SECRET: at least 32/],
    [{ JWKS_URL: 'ftp://x/jwks' }, /JWKS_URL/],
  ])('names the variable that is wrong: %o', (vars, message) => {
    expect(() => loadEnvironment(vars)).toThrow(message);
  });
});
