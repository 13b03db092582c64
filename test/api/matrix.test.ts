import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Database } from '../../src/store/sql.js';
import { testApi } from '../helpers/api.js';
import { expectMatrixCoversRoutes, expectRoleMatrix } from '../helpers/api-matrix.js';
import { seedOrganization } from '../helpers/api-tenants.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

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
});
