import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantStore } from '../../src/store/tenant-store.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { appBackends, as, seedWorld } from './authz-apps.js';
import type { RunningApp } from './authz-apps.js';

/** Issue 20 point 8: unauthenticated floods are limited per IP address before any API key is looked up. */
const LIMIT = 20;
const FLOOD = 1000;
const backends = await appBackends();

/** The limit counts in fixed one-minute windows: start a burst well inside one, so its counts are exact. */
async function freshWindow(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 50));
}

describe.each(backends)('unauthenticated and failed-auth requests ($name)', (backend) => {
  let running: RunningApp;
  let workspace: string;
  const lookups = { count: 0 };
  beforeAll(async () => {
    if (backend.skip) return;
    workspace = await tempDir('roach-authz-flood-');
    const counting = (tenants: TenantStore): TenantStore => ({
      ...tenants,
      useApiKey: (hash) => {
        lookups.count += 1;
        return tenants.useApiKey(hash);
      },
    });
    running = await backend.start({ ROACH_WORKSPACE_ROOTS: workspace, ROACH_AUTH_FAILURE_LIMIT: String(LIMIT) }, counting);
  }, 60_000);
  afterAll(async () => {
    if (backend.skip) return;
    await running.close();
    await cleanupTemp();
  });

  it.skipIf(backend.skip)(`answers ${FLOOD} unknown rk_ keys with 401 then 429, looking up at most ${LIMIT} of them`, async () => {
    const app = running.app;
    const w = await seedWorld(app, workspace, 'flood');
    await freshWindow();
    lookups.count = 0;
    const codes = new Map<number, number>();
    const firstWindow = Math.floor(Date.now() / 60_000);
    for (let i = 0; i < FLOOD; i++) {
      const response = await app.inject({ url: `/api/code-roach/issues?projectId=${w.pa}`, remoteAddress: '203.0.113.7', headers: { authorization: `Bearer rk_${randomBytes(32).toString('base64url')}` } });
      codes.set(response.statusCode, (codes.get(response.statusCode) ?? 0) + 1);
    }
    // On a machine slow enough for the burst to outlast its window, each window it spans allows LIMIT
    // more: the counts stay exact per window instead of depending on the clock.
    const windows = Math.floor(Date.now() / 60_000) - firstWindow + 1;
    expect(codes.get(401)).toBe(LIMIT * windows);
    expect(codes.get(429)).toBe(FLOOD - LIMIT * windows);
    expect(lookups.count).toBeLessThanOrEqual(LIMIT * windows);
    const limited = await app.inject({ url: '/api/code-roach/organizations', remoteAddress: '203.0.113.7' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('CR_ERR_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected, and authenticated callers are never counted.
    expect((await app.inject({ url: `/api/code-roach/issues?projectId=${w.pa}`, remoteAddress: '203.0.113.8', headers: w.memberKey })).statusCode).toBe(200);
    for (let i = 0; i < LIMIT * 2; i++) {
      expect((await app.inject({ url: '/api/code-roach/organizations', remoteAddress: '203.0.113.9', headers: await as(w.memberA) })).statusCode).toBe(200);
    }
  }, 180_000);

  it.skipIf(backend.skip)('counts requests without credentials and with forged tokens alike', async () => {
    const app = running.app;
    await freshWindow();
    const codes: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) {
      const headers = i % 2 === 0 ? {} : { authorization: 'Bearer not.a.token' };
      codes.push((await app.inject({ url: '/api/code-roach/organizations', remoteAddress: '198.51.100.4', headers })).statusCode);
    }
    expect(codes.slice(0, LIMIT).every((code) => code === 401)).toBe(true);
    expect(codes.slice(LIMIT).every((code) => code === 429)).toBe(true);
  }, 120_000);
});
