import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { expectMatrixCoversRoutes, expectRoleMatrix } from '../helpers/api-matrix.js';
import { seedOrganization } from '../helpers/api-tenants.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { checkCombos, expectModelMatchesApp, matrixExtensionCombos, seedModelWorld } from '../security/authz-model.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let app: FastifyInstance;
let db: Database;
let workspace: string;

beforeAll(async () => {
  workspace = await tempDir('roach-matrix-');
  ({ app, db } = await testApi({ JWT_SECRET: SECRET, ROACH_WORKSPACE_ROOTS: workspace, ROACH_OUTBOUND_ALLOW: '127.0.0.1/32', ROACH_RATE_LIMIT: '100000' }));
});
afterAll(async () => {
  await app.close();
  await db.close();
  await cleanupTemp();
});

describe('authorization matrix (embedded store)', () => {
  it('has a permission for every organization-scoped route and a request for every permission', async () => {
    const ids = await seedOrganization(app, SECRET, workspace, 'matrix-cover');
    await expectMatrixCoversRoutes(app, ids);
  });

  it('lets every role do exactly what the matrix grants on every route, and hides everything from strangers', async () => {
    const ids = await seedOrganization(app, SECRET, workspace, 'matrix-roles');
    await expectRoleMatrix(app, SECRET, ids, ids.subjects, 'matrix-stranger');
  }, 60_000);

  it('refuses foreign and stray project ids in query and body, holds project-scoped keys to their projects and project roles to project routes', async () => {
    expectModelMatchesApp(app);
    const w = await seedModelWorld(app, workspace, 'matrix-ext');
    const combos = matrixExtensionCombos(w);
    const { sent, failures } = await checkCombos(app, w, combos);
    expect(failures.slice(0, 20)).toEqual([]);
    // 32 scoped routes x 13 callers (6 project-scoped keys, 3 project-only users, 4 org-only users) x their own and
    // foreign resources x (no stray id, a foreign id in the query, in the body): 2,405 combinations, all sent
    // but the 10 allowed event streams (they stay open until their job ends).
    expect(combos).toHaveLength(2405);
    expect(sent).toBe(2395);
  }, 300_000);
});
