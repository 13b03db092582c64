import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/sql.js';
import { createTenantStore } from '../../src/store/tenant-store.js';
import { testApi } from '../helpers/api.js';
import { bearer } from '../helpers/api-matrix.js';
import { seedOrganization } from '../helpers/api-tenants.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;

beforeAll(async () => {
  workspace = await tempDir('roach-settings-');
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_ROOTS: workspace, ROACH_RATE_LIMIT: '100000' }));
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('PUT /organizations/:org/projects/:project/settings', () => {
  it('lets only owners and admins enable repository commands, audits the change, and keeps it per project', async () => {
    const ids = await seedOrganization(app, SECRET, workspace, 'settings');
    const other = await seedOrganization(app, SECRET, workspace, 'settings-other');
    const url = `/api/code-roach/organizations/${ids.orgId}/projects/${ids.projectId}/settings`;
    const tenants = createTenantStore(db);
    expect(await tenants.projectSettings(ids.orgId, ids.projectId)).toEqual({ repositoryCommands: false });

    for (const role of ['member', 'viewer'] as const) {
      const refused = await app.inject({ method: 'PUT', url, headers: await bearer(SECRET, ids.subjects[role]), payload: { repositoryCommands: true } });
      expect(refused.statusCode, role).toBe(403);
      expect(refused.json().error.code).toBe('CR_ERR_FORBIDDEN');
    }
    expect(await tenants.projectSettings(ids.orgId, ids.projectId)).toEqual({ repositoryCommands: false });

    const enabled = await app.inject({ method: 'PUT', url, headers: await bearer(SECRET, ids.subjects.admin), payload: { repositoryCommands: true } });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json()).toEqual({ repositoryCommands: true });
    expect(await tenants.projectSettings(ids.orgId, ids.projectId)).toEqual({ repositoryCommands: true });
    expect(await tenants.projectSettings(other.orgId, other.projectId)).toEqual({ repositoryCommands: false });

    const audit = await tenants.auditPage(ids.orgId, 50, null);
    const entry = audit.items.find((item) => item.action === 'PUT /api/code-roach/organizations/:org/projects/:project/settings' && item.outcome === 'success');
    expect(entry).toMatchObject({ actor: `user:${ids.subjects.admin}`, statusCode: 200 });
    expect(entry?.target).toContain(ids.projectId);
    const refusals = audit.items.filter((item) => item.action.endsWith('/settings') && item.outcome === 'failure');
    expect(refusals.map((item) => item.actor).sort()).toEqual([`user:${ids.subjects.member}`, `user:${ids.subjects.viewer}`]);

    // Another organization's project, through this organization's admin: not found, not changed.
    const crossTenant = await app.inject({
      method: 'PUT',
      url: `/api/code-roach/organizations/${ids.orgId}/projects/${other.projectId}/settings`,
      headers: await bearer(SECRET, ids.subjects.admin),
      payload: { repositoryCommands: true },
    });
    expect(crossTenant.statusCode).toBe(404);
    expect(await tenants.projectSettings(other.orgId, other.projectId)).toEqual({ repositoryCommands: false });

    const unknownField = await app.inject({ method: 'PUT', url, headers: await bearer(SECRET, ids.subjects.owner), payload: { runEverything: true } });
    expect(unknownField.statusCode).toBe(400);
  }, 60_000);
});
