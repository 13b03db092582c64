import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { OrganizationRole } from '../../src/store/repositories/tenancy.js';
import { bearer } from './api-matrix.js';
import type { MatrixIds } from './api-matrix.js';

/**
 * An organization owned by `${prefix}-owner` with an admin, a member and a viewer, one project in
 * the workspace and one queued crawl: what the matrix test calls every route against.
 */
export async function seedOrganization(app: FastifyInstance, secret: string, workspace: string, prefix: string, projectDir?: string): Promise<MatrixIds & { subjects: Record<OrganizationRole, string> }> {
  const subjects: Record<OrganizationRole, string> = { owner: `${prefix}-owner`, admin: `${prefix}-admin`, member: `${prefix}-member`, viewer: `${prefix}-viewer` };
  const owner = await bearer(secret, subjects.owner);
  const created = await app.inject({ method: 'POST', url: '/api/code-roach/organizations', headers: owner, payload: { slug: prefix, name: prefix } });
  expect(created.statusCode).toBe(201);
  const orgId = created.json().id as string;
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const granted = await app.inject({ method: 'PUT', url: `/api/code-roach/organizations/${orgId}/members/${subjects[role]}`, headers: owner, payload: { role } });
    expect(granted.statusCode).toBe(200);
  }
  const dir = projectDir ?? path.join(workspace, `${prefix}-project`);
  await mkdir(dir, { recursive: true });
  const project = await app.inject({ method: 'POST', url: `/api/code-roach/organizations/${orgId}/projects`, headers: owner, payload: { name: prefix, path: dir } });
  expect(project.statusCode).toBe(201);
  const projectId = project.json().id as string;
  const crawl = await app.inject({ method: 'POST', url: '/api/code-roach/crawl', headers: owner, payload: { projectId, generateFixes: false } });
  expect(crawl.statusCode).toBe(202);
  return { orgId, projectId, jobId: crawl.json().jobId as string, workspaceDir: dir, subjects };
}
