import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { appBackends, as, seedWorld } from './authz-apps.js';
import type { RunningApp, World } from './authz-apps.js';

/**
 * Issue 20, points 1, 2, 3 and 6: the privilege escalations of the probe, replayed through the real app.
 * Each row names what the old code answered; the row's status is what holds now.
 */
interface Probe {
  readonly name: string;
  readonly who: (w: World) => Promise<{ authorization: string }> | { authorization: string };
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: (w: World) => string;
  readonly payload?: (w: World) => Record<string, unknown>;
  /** What the probe got before the change (documentation of the hole). */
  readonly was: number;
  readonly now: number;
}

const org = (id: string) => `/api/code-roach/organizations/${id}`;
const user = (pick: (w: World) => string) => (w: World) => as(pick(w));

export const ESCALATION_PROBES: readonly Probe[] = [
  // 1. A project role becomes an organization role (org viewer, admin of PA only).
  { name: 'project admin grants an org-wide admin role via ?projectId', who: user((w) => w.viewerPaAdmin), method: 'PUT', url: (w) => `${org(w.orgA)}/members/${w.viewerPaAdmin}?projectId=${w.pa}`, payload: () => ({ role: 'admin' }), was: 200, now: 400 },
  { name: 'project admin creates an org-wide admin key via ?projectId', who: user((w) => w.viewerPaAdmin), method: 'POST', url: (w) => `${org(w.orgA)}/api-keys?projectId=${w.pa}`, payload: () => ({ name: 'x', role: 'admin' }), was: 201, now: 400 },
  { name: 'project admin reads the audit log via ?projectId', who: user((w) => w.viewerPaAdmin), method: 'GET', url: (w) => `${org(w.orgA)}/audit?projectId=${w.pa}`, was: 200, now: 400 },
  { name: 'project-only admin lists org members via ?projectId', who: user((w) => w.paOnly), method: 'GET', url: (w) => `${org(w.orgA)}/members?projectId=${w.pa}`, was: 200, now: 400 },
  { name: 'project-only admin changes org roles via ?projectId', who: user((w) => w.paOnly), method: 'PUT', url: (w) => `${org(w.orgA)}/members/${w.memberA}?projectId=${w.pa}`, payload: () => ({ role: 'viewer' }), was: 200, now: 400 },
  { name: 'project admin without ?projectId keeps its org viewer role', who: user((w) => w.viewerPaAdmin), method: 'PUT', url: (w) => `${org(w.orgA)}/members/${w.viewerPaAdmin}`, payload: () => ({ role: 'admin' }), was: 403, now: 403 },
  { name: 'project-only admin is no member of the organization', who: user((w) => w.paOnly), method: 'GET', url: (w) => `${org(w.orgA)}/members`, was: 404, now: 404 },
  { name: 'project admin still works on its project', who: user((w) => w.viewerPaAdmin), method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}`, was: 200, now: 200 },
  { name: 'project admin is an org viewer on another project', who: user((w) => w.viewerPaAdmin), method: 'POST', url: () => '/api/code-roach/crawl', payload: (w) => ({ projectId: w.pc, generateFixes: false }), was: 403, now: 403 },
  // 2. A project-scoped API key acts organization-wide.
  { name: 'PA-scoped admin key creates an unscoped admin key', who: (w) => w.paKey, method: 'POST', url: (w) => `${org(w.orgA)}/api-keys`, payload: () => ({ name: 'y', role: 'admin' }), was: 201, now: 403 },
  { name: 'PA-scoped admin key changes a member\'s role', who: (w) => w.paKey, method: 'PUT', url: (w) => `${org(w.orgA)}/members/${w.memberA}`, payload: () => ({ role: 'viewer' }), was: 200, now: 403 },
  { name: 'PA-scoped admin key revokes another key', who: (w) => w.paKey, method: 'DELETE', url: (w) => `${org(w.orgA)}/api-keys/${w.memberKey.id}`, was: 204, now: 403 },
  { name: 'PA-scoped admin key lists the organization\'s projects (PC)', who: (w) => w.paKey, method: 'GET', url: (w) => `${org(w.orgA)}/projects`, was: 200, now: 403 },
  { name: 'PA-scoped admin key reads the audit log', who: (w) => w.paKey, method: 'GET', url: (w) => `${org(w.orgA)}/audit`, was: 200, now: 403 },
  { name: 'PA-scoped admin key reads org-wide developer stats', who: (w) => w.paKey, method: 'GET', url: (w) => `/api/code-roach/developer/stats?organizationId=${w.orgA}`, was: 200, now: 403 },
  { name: 'PA-scoped admin key sends a notification for the organization', who: (w) => w.paKey, method: 'POST', url: () => '/api/code-roach/notifications/send', payload: (w) => ({ organizationId: w.orgA, event: 'e', title: 't' }), was: 404, now: 403 },
  { name: 'PA-scoped admin key reads PC', who: (w) => w.paKey, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pc}`, was: 404, now: 404 },
  { name: 'PA-scoped admin key reads PA', who: (w) => w.paKey, method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pa}`, was: 200, now: 200 },
  // 3. The checked projectId and the used projectId differ.
  { name: 'crawl checked on PA (query) but run on PC (body)', who: user((w) => w.viewerPaAdmin), method: 'POST', url: (w) => `/api/code-roach/crawl?projectId=${w.pa}`, payload: (w) => ({ projectId: w.pc, apply: true }), was: 202, now: 400 },
  { name: 'crawl of another tenant\'s project through a query id of one\'s own', who: user((w) => w.ownerA), method: 'POST', url: (w) => `/api/code-roach/crawl?projectId=${w.pc}`, payload: (w) => ({ projectId: w.pb, generateFixes: false }), was: 202, now: 400 },
  { name: 'fix decision checked on PA (query) but aimed at PC (body)', who: user((w) => w.viewerPaAdmin), method: 'POST', url: (w) => `/api/code-roach/fix?projectId=${w.pa}`, payload: (w) => ({ projectId: w.pc, fixId: '00000000-0000-4000-8000-000000000000', action: 'apply' }), was: 404, now: 400 },
  { name: 'issues of PC read with a body id of PA', who: user((w) => w.paOnly), method: 'GET', url: (w) => `/api/code-roach/issues?projectId=${w.pc}&organizationId=${w.orgA}`, was: 404, now: 400 },
  { name: 'org path of A with a project of B', who: user((w) => w.ownerA), method: 'PUT', url: (w) => `${org(w.orgA)}/projects/${w.pb}/members/${w.memberA}`, payload: () => ({ role: 'viewer' }), was: 404, now: 404 },
];

const backends = await appBackends();

describe.each(backends)('privilege escalation probes ($name)', (backend) => {
  let running: RunningApp;
  let app: FastifyInstance;
  let workspace: string;
  beforeAll(async () => {
    if (backend.skip) return;
    workspace = await tempDir('roach-authz-esc-');
    running = await backend.start({ ROACH_WORKSPACE_ROOTS: workspace });
    app = running.app;
  }, 60_000);
  afterAll(async () => {
    if (backend.skip) return;
    await running.close();
    await cleanupTemp();
  });

  it.skipIf(backend.skip)(`answers each of the ${ESCALATION_PROBES.length} escalation probes as the model says`, async () => {
    const w = await seedWorld(app, workspace, 'esc');
    const failures: string[] = [];
    for (const probe of ESCALATION_PROBES) {
      const response = await app.inject({ method: probe.method, url: probe.url(w), headers: await probe.who(w), ...(probe.payload ? { payload: probe.payload(w) } : {}) });
      if (response.statusCode !== probe.now) failures.push(`${probe.name}: ${response.statusCode} (want ${probe.now}, was ${probe.was}) ${response.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it.skipIf(backend.skip)('runs a crawl on exactly the project that was authorised, and never folds one tenant\'s crawl onto another\'s job', async () => {
    const w = await seedWorld(app, workspace, 'crawl');
    const crawl = await app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: await as(w.viewerPaAdmin), payload: { projectId: w.pa, generateFixes: false } });
    expect(crawl.statusCode).toBe(202);
    // The attempt on B's project from org A is refused; B's own crawl of PB is B's job, which B sees and A does not.
    expect((await app.inject({ method: 'POST', url: `/api/code-roach/crawl?projectId=${w.pc}`, headers: await as(w.ownerA), payload: { projectId: w.pb, generateFixes: false } })).statusCode).toBe(400);
    const own = await app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: await as(w.ownerB), payload: { projectId: w.pb, generateFixes: false } });
    expect(own.statusCode).toBe(202);
    const jobId = own.json().jobId as string;
    // Job ids name their organization (and are random beyond it): B's job is B's by its id too.
    expect(jobId).toMatch(new RegExp(`^${w.orgB}_[0-9a-f-]{36}$`));
    expect((await app.inject({ url: `/api/code-roach/status?jobId=${jobId}`, headers: await as(w.ownerB) })).statusCode).toBe(200);
    const foreign = await app.inject({ url: `/api/code-roach/status?jobId=${jobId}`, headers: await as(w.ownerA) });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.message).toMatch(/No job/);
    expect((await app.inject({ url: `/api/code-roach/status?jobId=${jobId}`, headers: w.paKey })).statusCode).toBe(404);
  });

  it.skipIf(backend.skip)('caps grants at the actor\'s rank, protects the owner from admins, and never removes or demotes the last owner', async () => {
    const w = await seedWorld(app, workspace, 'rank');
    const a = org(w.orgA);
    const put = async (actor: string, target: string, role: string) => (await app.inject({ method: 'PUT', url: `${a}/members/${target}`, headers: await as(actor), payload: { role } })).statusCode;
    const remove = async (actor: string, target: string) => (await app.inject({ method: 'DELETE', url: `${a}/members/${target}`, headers: await as(actor) })).statusCode;
    // Issue 20 point 6: PUT demoted the owner (200), then DELETE removed them (204).
    expect(await put(w.adminA, w.ownerA, 'viewer')).toBe(403);
    expect(await remove(w.adminA, w.ownerA)).toBe(403);
    expect(await put(w.adminA, w.memberA, 'owner')).toBe(403);
    // A project admin cannot narrow the owner's role on its project either (a project role replaces the org role there).
    expect((await app.inject({ method: 'PUT', url: `${a}/projects/${w.pa}/members/${w.ownerA}`, headers: await as(w.paOnly), payload: { role: 'viewer' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url: `${a}/projects/${w.pa}/members/${w.adminA}`, headers: await as(w.paOnly), payload: { role: 'viewer' } })).statusCode).toBe(200);
    // The last owner stays an owner: not demoted, not removed, even by themselves.
    expect(await put(w.ownerA, w.ownerA, 'admin')).toBe(403);
    expect(await remove(w.ownerA, w.ownerA)).toBe(403);
    // With a second owner, either may step down; the remaining one is then the last again.
    expect(await put(w.ownerA, w.adminA, 'owner')).toBe(200);
    expect(await put(w.adminA, w.ownerA, 'admin')).toBe(200);
    expect(await remove(w.adminA, w.adminA)).toBe(403);
    const members = (await app.inject({ url: `${a}/members`, headers: await as(w.adminA) })).json().items as { subject: string; role: string }[];
    expect(members.filter((m) => m.role === 'owner').map((m) => m.subject)).toEqual([w.adminA]);
    // Same rank is fair game (the former owner, now admin, manages an admin); a member manages nobody.
    expect(await put(w.memberA, w.viewerPaAdmin, 'viewer')).toBe(403);
    expect(await put(w.adminA, w.memberA, 'admin')).toBe(200);
    expect(await put(w.ownerA, w.memberA, 'viewer')).toBe(200);
  });
});
