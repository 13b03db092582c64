import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { appBackends, as, seedWorld } from './authz-apps.js';
import type { RunningApp, World } from './authz-apps.js';

/** Issue 20 point 10: invalid text and forged cursors are refused at the edge with 400, never a 500 from the database. */
const BAD_TEXT = ['a\u0000b', 'nul\u0000', 'bell\u0007', 'lone\uD800surrogate', 'tail\uDC00', 'del\u007F'];
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const UUID = '3f1c9a52-4d0e-4a8b-9c7d-2b1e0f6a5d44';
const BAD_CURSORS = [
  cursor(['not-a-date', UUID]),
  cursor(['2026-13-45 25:61:00+00', UUID]),
  cursor(['2026-01-01 00:00:00+00', 'not-a-uuid']),
  cursor(['2026-01-01 00:00:00+00', "x' OR 1=1 --"]),
  cursor(["2026-01-01'; DROP TABLE code_roach_issues; --", UUID]),
  cursor({ createdAt: '2026-01-01 00:00:00+00', id: UUID }),
  cursor(['2026-01-01 00:00:00+00', UUID, 'extra']),
  cursor([12, 34]),
  'not base64 at all!',
  '%00',
];

interface Probe {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: (w: World) => string;
  readonly payload?: (w: World) => Record<string, unknown>;
}

function probes(): Probe[] {
  const list: Probe[] = [];
  const org = (w: World) => `/api/code-roach/organizations/${w.orgA}`;
  for (const [i, bad] of BAD_TEXT.entries()) {
    // A lone surrogate has no UTF-8 form, so it cannot travel in a URL (only in a JSON body, as \uD800).
    const inUrl = !/[\uD800-\uDFFF]/.test(bad);
    const q = inUrl ? encodeURIComponent(bad) : '';
    list.push(
      { name: `api key name #${i}`, method: 'POST', url: (w) => `${org(w)}/api-keys`, payload: () => ({ name: bad, role: 'viewer' }) },
      { name: `project name #${i}`, method: 'POST', url: (w) => `${org(w)}/projects`, payload: () => ({ name: bad, path: '/nowhere' }) },
      { name: `organization name #${i}`, method: 'POST', url: () => '/api/code-roach/organizations', payload: () => ({ slug: `bad-${i}`, name: bad }) },
      { name: `channel name #${i}`, method: 'POST', url: (w) => `${org(w)}/channels`, payload: () => ({ name: bad, type: 'webhook', url: 'http://127.0.0.1:9/x' }) },
      { name: `channel event #${i}`, method: 'POST', url: (w) => `${org(w)}/channels`, payload: () => ({ name: 'ok', type: 'webhook', url: 'http://127.0.0.1:9/x', events: [bad] }) },
      { name: `notification title #${i}`, method: 'POST', url: () => '/api/code-roach/notifications/send', payload: (w) => ({ organizationId: w.orgA, event: 'e', title: bad }) },
      { name: `fix reason #${i}`, method: 'POST', url: () => '/api/code-roach/fix', payload: (w) => ({ projectId: w.pa, fixId: UUID, action: 'reject', reason: bad }) },
    );
    if (inUrl) {
      list.push(
        { name: `member path #${i}`, method: 'PUT', url: (w) => `${org(w)}/members/${q}`, payload: () => ({ role: 'viewer' }) },
        { name: `issues text #${i}`, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}&text=${q}` },
        { name: `issues file #${i}`, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}&file=${q}` },
        { name: `issues rule #${i}`, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}&rule=${q}` },
        { name: `developer author #${i}`, method: 'GET', url: (w) => `/api/code-roach/developer/stats?projectId=${w.pa}&author=${q}` },
      );
    }
  }
  for (const [i, bad] of BAD_CURSORS.entries()) {
    const c = encodeURIComponent(bad);
    list.push(
      { name: `issues cursor #${i}`, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}&cursor=${c}` },
      { name: `review cursor #${i}`, method: 'GET', url: (w) => `/api/code-roach/review?projectId=${w.pa}&cursor=${c}` },
    );
  }
  for (const bad of ['9999999999999999999', '9223372036854775808', '0', '-1', '1e3', '00001']) {
    list.push({ name: `audit cursor ${bad}`, method: 'GET', url: (w) => `${org(w)}/audit?cursor=${bad}` });
  }
  for (const bad of ['0', '-5', '10000000000', '1.5', 'NaN']) {
    list.push({ name: `issues limit ${bad}`, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}&limit=${bad}` });
  }
  return list;
}

export const INPUT_PROBES = probes();
const backends = await appBackends();

describe.each(backends)('validation at the edge ($name)', (backend) => {
  let running: RunningApp;
  let workspace: string;
  beforeAll(async () => {
    if (backend.skip) return;
    workspace = await tempDir('roach-authz-input-');
    running = await backend.start({ ROACH_WORKSPACE_ROOTS: workspace, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32' });
  }, 60_000);
  afterAll(async () => {
    if (backend.skip) return;
    await running.close();
    await cleanupTemp();
  });

  it.skipIf(backend.skip)(`refuses all ${INPUT_PROBES.length} invalid-text, cursor and range probes with 400`, async () => {
    const app = running.app;
    const w = await seedWorld(app, workspace, 'input');
    const owner = await as(w.ownerA);
    const failures: string[] = [];
    for (const probe of INPUT_PROBES) {
      const response = await app.inject({ method: probe.method, url: probe.url(w), headers: owner, ...(probe.payload ? { payload: probe.payload(w) } : {}) });
      if (response.statusCode !== 400 || response.json().error.code !== 'CR_ERR_REQUEST_INVALID') failures.push(`${probe.name}: ${response.statusCode} ${response.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it.skipIf(backend.skip)('keeps accepting ordinary text (tabs, new lines, emoji, accents) and the cursors it hands out', async () => {
    const app = running.app;
    const w = await seedWorld(app, workspace, 'input-ok');
    const owner = await as(w.ownerA);
    const key = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${w.orgA}/api-keys`, headers: owner, payload: { name: 'CI\tkey — déjà vu 🚀\n', role: 'viewer' } });
    expect(key.statusCode).toBe(201);
    expect((await app.inject({ url: `/api/code-roach/issues?projectId=${w.pa}&text=${encodeURIComponent('🚀 déjà')}`, headers: owner })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/code-roach/issues?projectId=${w.pa}&cursor=${cursor(['2026-01-01 00:00:00.123456+00', UUID])}`, headers: owner })).statusCode).toBe(200);
    const audit = (await app.inject({ url: `/api/code-roach/organizations/${w.orgA}/audit?limit=1`, headers: owner })).json();
    expect(audit.nextCursor).toMatch(/^\d+$/);
    expect((await app.inject({ url: `/api/code-roach/organizations/${w.orgA}/audit?limit=1&cursor=${audit.nextCursor as string}`, headers: owner })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/code-roach/organizations/${w.orgA}/audit?cursor=9223372036854775807`, headers: owner })).statusCode).toBe(200);
  });
});
