import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';

/** Issue 20 point 7: tokens must expire, live no longer than ROACH_JWT_MAX_LIFETIME, and be valid now (nbf, iat) within the skew. */
const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

interface Claims {
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
}

/** Each case: the claims (relative to now, in seconds) and whether the server accepts them. Max lifetime 1 h, skew 30 s. */
export const TOKEN_CASES: readonly { name: string; claims: () => Claims; accepted: boolean }[] = [
  { name: 'no exp at all (never expired before)', claims: () => ({}), accepted: false },
  { name: 'no exp, with iat', claims: () => ({ iat: now() }), accepted: false },
  { name: 'exp in 5 minutes', claims: () => ({ exp: now() + 300 }), accepted: true },
  { name: 'iat now, exp in 1 hour (the maximum)', claims: () => ({ iat: now(), exp: now() + HOUR }), accepted: true },
  { name: 'iat now, exp in 2 hours', claims: () => ({ iat: now(), exp: now() + 2 * HOUR }), accepted: false },
  { name: 'no iat, exp in a year', claims: () => ({ exp: now() + 365 * 24 * HOUR }), accepted: false },
  { name: 'iat a day ago, exp in 10 minutes (issued for 24 h)', claims: () => ({ iat: now() - 24 * HOUR, exp: now() + 600 }), accepted: false },
  { name: 'expired 10 s ago (within the skew)', claims: () => ({ iat: now() - 600, exp: now() - 10 }), accepted: true },
  { name: 'expired 2 minutes ago', claims: () => ({ iat: now() - 600, exp: now() - 120 }), accepted: false },
  { name: 'nbf in 10 s (within the skew)', claims: () => ({ nbf: now() + 10, exp: now() + 600 }), accepted: true },
  { name: 'nbf in 10 minutes', claims: () => ({ nbf: now() + 600, exp: now() + 1200 }), accepted: false },
  { name: 'iat in 10 s (within the skew)', claims: () => ({ iat: now() + 10, exp: now() + 600 }), accepted: true },
  { name: 'iat in 10 minutes', claims: () => ({ iat: now() + 600, exp: now() + 1200 }), accepted: false },
];

function signed(claims: Claims, header: { alg: string; kid?: string }, subject: string) {
  return new SignJWT({ ...claims }).setProtectedHeader(header).setSubject(subject).setIssuer('https://idp.example.test/').setAudience('roach-api');
}

const provider = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(provider.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const jwksServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;

const common = { JWT_ISSUER: 'https://idp.example.test/', JWT_AUDIENCE: 'roach-api', ROACH_JWT_MAX_LIFETIME: String(HOUR), ROACH_JWT_CLOCK_SKEW: '30', ROACH_AUTH_FAILURE_LIMIT: '1000' };
const modes: { name: string; vars: NodeJS.ProcessEnv; sign: (claims: Claims) => Promise<string> }[] = [
  { name: 'HS256 (JWT_SECRET)', vars: { ...common, JWT_SECRET: SECRET }, sign: (claims) => signed(claims, { alg: 'HS256' }, 'hs|tok').sign(new TextEncoder().encode(SECRET)) },
  { name: 'RS256 (JWKS_URL)', vars: { ...common, JWKS_URL: jwksUrl }, sign: (claims) => signed(claims, { alg: 'RS256', kid: 'k1' }, 'oidc|tok').sign(provider.privateKey as CryptoKey) },
];

afterAll(() => {
  jwksServer.close();
});

describe.each(modes)('bearer token lifetime ($name)', (mode) => {
  let app: FastifyInstance;
  let db: Database;
  beforeAll(async () => {
    ({ app, db } = await testApi(mode.vars));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it.each(TOKEN_CASES)('$name: accepted=$accepted', async ({ claims, accepted }) => {
    const response = await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${await mode.sign(claims())}` } });
    expect(response.statusCode, response.body).toBe(accepted ? 200 : 401);
    if (!accepted) expect(response.json().error.code).toBe('CR_ERR_UNAUTHENTICATED');
  });
});
