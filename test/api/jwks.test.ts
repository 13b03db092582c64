import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { testApi } from '../helpers/api.js';

const provider = await generateKeyPair('RS256');
const stranger = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(provider.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const jwksServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
const { app, db } = await testApi({ JWKS_URL: jwksUrl, JWT_ISSUER: 'https://idp.example.test/', JWT_AUDIENCE: 'roach-api' });

afterAll(async () => {
  await app.close();
  await db.close();
  jwksServer.close();
});

function sign(key: CryptoKey, kid: string, issuer = 'https://idp.example.test/'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setSubject('oidc|dana').setIssuer(issuer).setAudience('roach-api').setExpirationTime('5m').sign(key);
}

describe('bearer tokens from an OIDC provider (JWKS)', () => {
  it('accepts a token signed by a key of the JWKS and refuses others', async () => {
    const ok = await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${await sign(provider.privateKey, 'k1')}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ items: [] });
    const forged = await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${await sign(stranger.privateKey, 'k1')}` } });
    expect(forged.statusCode).toBe(401);
    const otherIssuer = await app.inject({ url: '/api/code-roach/organizations', headers: { authorization: `Bearer ${await sign(provider.privateKey, 'k1', 'https://evil.test/')}` } });
    expect(otherIssuer.json().error).toMatchObject({ code: 'CR_ERR_UNAUTHENTICATED', message: expect.stringMatching(/iss/) });
  });
});
