import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import type { Cache } from '../cache/cache.js';
import { CACHE_TTL_SECONDS, cacheKeys } from '../cache/keys.js';
import type { ServiceEnvironment } from '../config/environment.js';
import { RoachError } from '../domain/errors.js';
import type { ApiKeyRecord, ApiKeyRole, TenantStore } from '../store/ports.js';

export type Principal =
  | { readonly kind: 'user'; readonly userId: string; readonly subject: string }
  | { readonly kind: 'apiKey'; readonly keyId: string; readonly organizationId: string; readonly role: ApiKeyRole; readonly projectIds: readonly string[] };

/** Bearer-token settings, as parsed from the environment (JWT_*, ROACH_JWT_*). */
export type JwtSettings = ServiceEnvironment['api']['jwt'];

/** API keys look like `rk_<43 base64url chars>`: recognisable in logs and secret scanners. */
const API_KEY_PREFIX = 'rk_';
const SHOWN_PREFIX_LENGTH = 11;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new key: the secret (shown once), what is stored (its hash) and what listings show. */
export function newApiKey(): { key: string; keyHash: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, keyHash: hashApiKey(key), prefix: key.slice(0, SHOWN_PREFIX_LENGTH) };
}

const unauthenticated = (message: string): RoachError => new RoachError('CR_ERR_UNAUTHENTICATED', message);

/**
 * A token may not live longer than the configured maximum (counted from iat, or from now without
 * one) and may not claim to be issued in the future beyond the clock skew: a stolen long-lived token
 * otherwise stays usable for as long as its issuer chose.
 */
function checkLifetime(payload: { exp?: number; iat?: number }, settings: JwtSettings): void {
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  if (payload.iat !== undefined && payload.iat > now + settings.clockSkewSeconds) throw unauthenticated('The token\'s iat claim lies in the future.');
  const from = payload.iat ?? now;
  if (exp - from > settings.maxLifetimeSeconds + settings.clockSkewSeconds) {
    throw unauthenticated(`The token lives longer than this server accepts (${settings.maxLifetimeSeconds} s, ROACH_JWT_MAX_LIFETIME).`);
  }
}

/**
 * Turns the Authorization header into who is calling: an API key (`Bearer rk_...`) looked up by its
 * hash, or a JWT checked with jose against JWT_SECRET (HS256) or the provider's JWKS, including
 * expiry, issuer and audience. Users are known by the token's subject (created on first sight).
 */
export function createAuthenticator(settings: JwtSettings, tenants: TenantStore, cache: Cache): (authorization: string | undefined) => Promise<Principal> {
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : null;
  const jwks: JWTVerifyGetKey | null = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : null;
  const verifyOptions = {
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
    // A token without exp would never expire; jose checks exp and nbf with the tolerance.
    requiredClaims: ['exp'],
    clockTolerance: settings.clockSkewSeconds,
  };

  async function userOf(subject: string, email: string | null, name: string | null): Promise<Principal> {
    const key = cacheKeys.session(subject);
    const cached = await cache.get<string>(key);
    const userId = cached ?? (await tenants.ensureUser(subject, email, name));
    if (!cached) await cache.set(key, userId, CACHE_TTL_SECONDS.session);
    return { kind: 'user', userId, subject };
  }

  return async (authorization) => {
    if (!authorization) throw unauthenticated('Missing Authorization header (Bearer <token or API key>).');
    const [scheme, token] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('Authorization must be "Bearer <token or API key>".');
    if (token.startsWith(API_KEY_PREFIX)) {
      const keyHash = hashApiKey(token);
      const cacheKey = cacheKeys.apiKey(keyHash);
      let record = await cache.get<ApiKeyRecord>(cacheKey);
      if (!record) {
        record = (await tenants.useApiKey(keyHash)) ?? undefined;
        if (record) await cache.set(cacheKey, record, CACHE_TTL_SECONDS.apiKey);
      }
      if (!record) throw unauthenticated('Unknown or revoked API key.');
      return { kind: 'apiKey', keyId: record.id, organizationId: record.organizationId, role: record.role, projectIds: record.projectIds };
    }
    if (!secret && !jwks) throw unauthenticated('This server accepts API keys only (no JWT_SECRET or JWKS_URL is configured).');
    try {
      const { payload } = secret
        ? await jwtVerify(token, secret, { ...verifyOptions, algorithms: ['HS256'] })
        : await jwtVerify(token, jwks as JWTVerifyGetKey, verifyOptions);
      if (!payload.sub) throw unauthenticated('The token has no subject (sub).');
      checkLifetime(payload, settings);
      const email = typeof payload.email === 'string' ? payload.email : null;
      const name = typeof payload.name === 'string' ? payload.name : null;
      return await userOf(payload.sub, email, name);
    } catch (error) {
      if (error instanceof RoachError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing') throw unauthenticated(`The token has no ${error.claim} claim; tokens must expire.`);
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw unauthenticated(`The token's ${error.claim} claim is not accepted here.`);
      throw unauthenticated('The token could not be verified.');
    }
  };
}
