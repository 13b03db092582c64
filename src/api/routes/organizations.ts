import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import { cacheKeys } from '../../cache/keys.js';
import { checkWorkspaceFolder, projectFolder } from '../../io/project-root.js';
import { newApiKey } from '../auth.js';
import { registerGitProject } from '../git-project.js';
import { ROLE_RANK } from '../permissions.js';
import { access } from '../route-access.js';
import type { ApiDeps } from '../context.js';
import { bigintId, limit, noContent, organization, project, role, text, uuid } from '../schemas.js';

const orgParams = z.object({ org: uuid });
const auditPage = z.object({
  items: z.array(
    z.object({
      id: z.string(), organizationId: z.string().nullable(), actor: z.string(), action: z.string(), target: z.string().nullable(), outcome: z.enum(['success', 'failure']),
      statusCode: z.number().nullable(), requestId: z.string().nullable(), ip: z.string().nullable(), details: z.record(z.string(), z.unknown()), createdAt: z.string(),
    }),
  ).readonly(),
  nextCursor: z.string().nullable(),
});

export function organizationRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/code-roach/organizations', { config: access.caller(), schema: { response: { 200: z.object({ items: z.array(organization.extend({ role })) }) } } }, async (request) => {
      const principal = request.principal;
      if (principal?.kind === 'apiKey') {
        const own = await deps.tenants.organization(principal.organizationId);
        return { items: own ? [{ ...own, role: principal.role }] : [] };
      }
      if (principal?.kind !== 'user') throw new RoachError('CR_ERR_UNAUTHENTICATED', 'Sign in to list organizations.');
      const items = await deps.tenants.organizationsOfUser(principal.userId);
      return { items: items.map((o) => ({ ...o, role: role.parse(o.role) })) };
    });

    app.post(
      '/api/code-roach/organizations',
      { config: access.caller(), schema: { body: z.strictObject({ slug: text().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), name: text().min(1).max(200) }), response: { 201: organization } } },
      async (request, reply) => {
        const principal = request.principal;
        if (principal?.kind !== 'user') throw new RoachError('CR_ERR_FORBIDDEN', 'Only signed-in users create organizations.');
        if (await deps.tenants.organizationBySlug(request.body.slug)) {
          throw new RoachError('CR_ERR_REQUEST_INVALID', `The slug "${request.body.slug}" is taken.`, { field: 'slug' });
        }
        const created = await deps.tenants.ensureOrganization(request.body.slug, request.body.name);
        await deps.tenants.setMembership(created.id, principal.userId, 'owner');
        request.scope = { organizationId: created.id, role: 'owner', projectId: null };
        return reply.status(201).send(created);
      },
    );

    app.get('/api/code-roach/organizations/:org', { config: access.organization('org:read'), schema: { params: orgParams, response: { 200: organization.extend({ role }) } } }, async (request) => {
      const found = await deps.tenants.organization(request.params.org);
      if (!found) throw new RoachError('CR_ERR_NOT_FOUND', 'No organization with that id.');
      return { ...found, role: request.scope?.role ?? 'viewer' };
    });

    app.get('/api/code-roach/organizations/:org/projects', { config: access.organization('project:read'), schema: { params: orgParams, response: { 200: z.object({ items: z.array(project) }) } } }, async (request) => ({
      items: await deps.tenants.projects(request.params.org),
    }));

    app.post(
      '/api/code-roach/organizations/:org/projects',
      {
        config: access.organization('project:create'),
        schema: {
          params: orgParams,
          // A folder inside the workspace roots, or a git URL (https, ssh) cloned into the server's workspace.
          body: z
            .strictObject({
              name: text().min(1).max(200),
              path: text().min(1).max(4096).optional(),
              gitUrl: text().min(1).max(2048).optional(),
              ref: text().min(1).max(200).optional(),
            })
            .refine((b) => (b.path === undefined) !== (b.gitUrl === undefined), { message: 'give exactly one of path and gitUrl', path: ['path'] })
            .refine((b) => b.ref === undefined || b.gitUrl !== undefined, { message: 'ref goes with gitUrl', path: ['ref'] }),
          response: { 201: project },
        },
      },
      async (request, reply) => {
        const { name, path: requested, gitUrl, ref } = request.body;
        if (gitUrl !== undefined) return reply.status(201).send(await registerGitProject(deps, request.params.org, { name, gitUrl, ref }));
        const root = await projectFolder(requested as string);
        await checkWorkspaceFolder(root, deps.settings.workspaceRoots);
        return reply.status(201).send(await deps.tenants.registerProject(request.params.org, root, name));
      },
    );

    const keyRecord = z.object({
      id: uuid, name: z.string(), prefix: z.string(), role: z.enum(['admin', 'member', 'viewer']), projectIds: z.array(uuid).readonly(),
      createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable(),
    });
    app.get('/api/code-roach/organizations/:org/api-keys', { config: access.key('keys:manage'), schema: { params: orgParams, response: { 200: z.object({ items: z.array(keyRecord) }) } } }, async (request) => ({
      items: await deps.tenants.apiKeys(request.params.org),
    }));

    app.post(
      '/api/code-roach/organizations/:org/api-keys',
      {
        config: access.key('keys:manage'),
        schema: {
          params: orgParams,
          body: z.strictObject({ name: text().min(1).max(200), role: z.enum(['admin', 'member', 'viewer']).default('member'), projectIds: z.array(uuid).max(100).default([]) }),
          response: { 201: keyRecord.extend({ key: z.string() }) },
        },
      },
      async (request, reply) => {
        const own = request.scope?.role ?? 'viewer';
        if (ROLE_RANK[request.body.role] > ROLE_RANK[own]) throw new RoachError('CR_ERR_FORBIDDEN', `A ${own} cannot create a key with role ${request.body.role}.`);
        for (const projectId of request.body.projectIds) {
          if ((await deps.tenants.organizationOfProject(projectId)) !== request.params.org) throw new RoachError('CR_ERR_NOT_FOUND', `No project ${projectId}.`, { field: 'projectIds' });
        }
        const secret = newApiKey();
        const record = await deps.tenants.createApiKey({
          organizationId: request.params.org,
          name: request.body.name,
          prefix: secret.prefix,
          keyHash: secret.keyHash,
          role: request.body.role,
          projectIds: request.body.projectIds,
          createdBy: request.principal?.kind === 'user' ? request.principal.userId : null,
        });
        // The only time the key is shown: only its hash is stored.
        return reply.status(201).send({ ...record, key: secret.key });
      },
    );

    app.delete('/api/code-roach/organizations/:org/api-keys/:id', { config: access.key('keys:manage'), schema: { params: orgParams.extend({ id: uuid }), response: { 204: noContent } } }, async (request, reply) => {
      if (!(await deps.tenants.revokeApiKey(request.params.org, request.params.id))) throw new RoachError('CR_ERR_NOT_FOUND', 'No API key with that id.');
      // Authentication caches keys by hash; a revoked key must stop working now, on every server.
      await deps.cache.delByPrefix(cacheKeys.apiKeys);
      return reply.status(204).send(null);
    });

    app.get(
      '/api/code-roach/organizations/:org/audit',
      {
        config: access.organization('audit:read'),
        schema: { params: orgParams, querystring: z.object({ limit, cursor: bigintId.optional() }), response: { 200: auditPage } },
      },
      async (request) => deps.tenants.auditPage(request.params.org, request.query.limit, request.query.cursor ?? null),
    );
  };
}
