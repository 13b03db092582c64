import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import { cacheKeys } from '../../cache/keys.js';
import { checkWorkspaceFolder, projectFolder } from '../../store/project-root.js';
import { newApiKey } from '../auth.js';
import { registerGitProject } from '../git-project.js';
import { ROLE_RANK } from '../permissions.js';
import type { ApiDeps } from '../context.js';
import { limit, organization, project, role, uuid } from '../schemas.js';

const orgParams = z.object({ org: uuid });

export function organizationRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/code-roach/organizations', { schema: { response: { 200: z.object({ items: z.array(organization.extend({ role })) }) } } }, async (request) => {
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
      { schema: { body: z.strictObject({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), name: z.string().min(1).max(200) }), response: { 201: organization } } },
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

    app.get('/api/code-roach/organizations/:org', { schema: { params: orgParams, response: { 200: organization.extend({ role }) } } }, async (request) => {
      const found = await deps.tenants.organization(request.params.org);
      if (!found) throw new RoachError('CR_ERR_NOT_FOUND', 'No organization with that id.');
      return { ...found, role: request.scope?.role ?? 'viewer' };
    });

    app.get('/api/code-roach/organizations/:org/members', { schema: { params: orgParams, response: { 200: z.object({ items: z.array(z.object({ userId: uuid, subject: z.string(), email: z.string().nullable(), role })) }) } } }, async (request) => ({
      items: await deps.tenants.members(request.params.org),
    }));

    app.put(
      '/api/code-roach/organizations/:org/members/:subject',
      { schema: { params: orgParams.extend({ subject: z.string().min(1).max(200) }), body: z.strictObject({ role, email: z.email().optional() }), response: { 200: z.object({ subject: z.string(), role }) } } },
      async (request) => {
        const granted = request.body.role;
        const own = request.scope?.role ?? 'viewer';
        if (ROLE_RANK[granted] > ROLE_RANK[own]) throw new RoachError('CR_ERR_FORBIDDEN', `A ${own} cannot grant ${granted}.`);
        const userId = await deps.tenants.ensureUser(request.params.subject, request.body.email ?? null, null);
        await deps.tenants.setMembership(request.params.org, userId, granted);
        return { subject: request.params.subject, role: granted };
      },
    );

    app.delete('/api/code-roach/organizations/:org/members/:subject', { schema: { params: orgParams.extend({ subject: z.string().min(1).max(200) }) } }, async (request, reply) => {
      const userId = await deps.tenants.userIdOf(request.params.subject);
      const target = userId ? await deps.tenants.roleOf(request.params.org, userId) : null;
      if (!userId || !target) throw new RoachError('CR_ERR_NOT_FOUND', 'No member with that subject.');
      if (ROLE_RANK[target] > ROLE_RANK[request.scope?.role ?? 'viewer']) throw new RoachError('CR_ERR_FORBIDDEN', `A ${request.scope?.role ?? 'viewer'} cannot remove a ${target}.`);
      await deps.tenants.removeMembership(request.params.org, userId);
      return reply.status(204).send();
    });

    app.put(
      '/api/code-roach/organizations/:org/projects/:projectId/members/:subject',
      {
        schema: {
          params: orgParams.extend({ projectId: uuid, subject: z.string().min(1).max(200) }),
          body: z.strictObject({ role: z.enum(['admin', 'member', 'viewer']) }),
          response: { 200: z.object({ subject: z.string(), projectId: uuid, role: z.string() }) },
        },
      },
      async (request) => {
        if ((await deps.tenants.organizationOfProject(request.params.projectId)) !== request.params.org) throw new RoachError('CR_ERR_NOT_FOUND', 'No project with that id.');
        if (ROLE_RANK[request.body.role] > ROLE_RANK[request.scope?.role ?? 'viewer']) throw new RoachError('CR_ERR_FORBIDDEN', `A ${request.scope?.role ?? 'viewer'} cannot grant ${request.body.role}.`);
        const userId = await deps.tenants.ensureUser(request.params.subject, null, null);
        await deps.tenants.setProjectRole(request.params.org, request.params.projectId, userId, request.body.role);
        return { subject: request.params.subject, projectId: request.params.projectId, role: request.body.role };
      },
    );

    app.get('/api/code-roach/organizations/:org/projects', { schema: { params: orgParams, response: { 200: z.object({ items: z.array(project) }) } } }, async (request) => ({
      items: await deps.tenants.projects(request.params.org),
    }));

    app.post(
      '/api/code-roach/organizations/:org/projects',
      {
        schema: {
          params: orgParams,
          // A folder inside the workspace roots, or a git URL (https, ssh) cloned into the server's workspace.
          body: z
            .strictObject({
              name: z.string().min(1).max(200),
              path: z.string().min(1).max(4096).optional(),
              gitUrl: z.string().min(1).max(2048).optional(),
              ref: z.string().min(1).max(200).optional(),
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
    app.get('/api/code-roach/organizations/:org/api-keys', { schema: { params: orgParams, response: { 200: z.object({ items: z.array(keyRecord) }) } } }, async (request) => ({
      items: await deps.tenants.apiKeys(request.params.org),
    }));

    app.post(
      '/api/code-roach/organizations/:org/api-keys',
      {
        schema: {
          params: orgParams,
          body: z.strictObject({ name: z.string().min(1).max(200), role: z.enum(['admin', 'member', 'viewer']).default('member'), projectIds: z.array(uuid).max(100).default([]) }),
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

    app.delete('/api/code-roach/organizations/:org/api-keys/:id', { schema: { params: orgParams.extend({ id: uuid }) } }, async (request, reply) => {
      if (!(await deps.tenants.revokeApiKey(request.params.org, request.params.id))) throw new RoachError('CR_ERR_NOT_FOUND', 'No API key with that id.');
      // Authentication caches keys by hash; a revoked key must stop working now, on every server.
      await deps.cache.delByPrefix(cacheKeys.apiKeys);
      return reply.status(204).send();
    });

    app.get(
      '/api/code-roach/organizations/:org/audit',
      { schema: { params: orgParams, querystring: z.object({ limit, cursor: z.string().regex(/^\d{1,19}$/).optional() }) } },
      async (request) => deps.tenants.auditPage(request.params.org, request.query.limit, request.query.cursor ?? null),
    );
  };
}
