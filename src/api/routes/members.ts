import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import type { OrganizationRole } from '../../domain/roles.js';
import type { ApiDeps } from '../context.js';
import { ROLE_RANK } from '../permissions.js';
import { access } from '../route-access.js';
import { noContent, role, text, uuid } from '../schemas.js';

const orgParams = z.object({ org: uuid });
const subject = text().min(1).max(200);
const member = z.object({ userId: uuid, subject: z.string(), email: z.string().nullable(), role });

/**
 * Members of an organization and roles on its projects. Grants are capped at the actor's own rank and
 * never touch a member of higher rank; the last owner is never removed or demoted (the store checks
 * both in one transaction).
 */
export function memberRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const actorRole = (scope: { role: OrganizationRole } | null): OrganizationRole => scope?.role ?? 'viewer';

  return async (app) => {
    app.get(
      '/api/code-roach/organizations/:org/members',
      { config: access.organization('org:read'), schema: { params: orgParams, response: { 200: z.object({ items: z.array(member) }) } } },
      async (request) => ({ items: await deps.tenants.members(request.params.org) }),
    );

    app.put(
      '/api/code-roach/organizations/:org/members/:subject',
      {
        config: access.organization('members:manage'),
        schema: { params: orgParams.extend({ subject }), body: z.strictObject({ role, email: z.email().max(320).optional() }), response: { 200: z.object({ subject: z.string(), role }) } },
      },
      async (request) => {
        const actor = actorRole(request.scope);
        const granted = request.body.role;
        if (ROLE_RANK[granted] > ROLE_RANK[actor]) throw new RoachError('CR_ERR_FORBIDDEN', `A ${actor} cannot grant ${granted}.`, { reason: 'rank', role: actor });
        const userId = await deps.tenants.ensureUser(request.params.subject, request.body.email ?? null, null);
        await deps.tenants.changeMembership(request.params.org, userId, granted, actor);
        return { subject: request.params.subject, role: granted };
      },
    );

    app.delete(
      '/api/code-roach/organizations/:org/members/:subject',
      { config: access.organization('members:manage'), schema: { params: orgParams.extend({ subject }), response: { 204: noContent } } },
      async (request, reply) => {
        const userId = await deps.tenants.userIdOf(request.params.subject);
        const before = userId ? await deps.tenants.changeMembership(request.params.org, userId, null, actorRole(request.scope)) : null;
        if (!before) throw new RoachError('CR_ERR_NOT_FOUND', 'No member with that subject.');
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/api/code-roach/organizations/:org/projects/:projectId/members/:subject',
      {
        // Project-scoped: a project admin manages roles on that project only.
        config: access.project('members:manage', 'path'),
        schema: {
          params: orgParams.extend({ projectId: uuid, subject }),
          body: z.strictObject({ role: z.enum(['admin', 'member', 'viewer']) }),
          response: { 200: z.object({ subject: z.string(), projectId: uuid, role: z.string() }) },
        },
      },
      async (request) => {
        const actor = actorRole(request.scope);
        const { org, projectId } = request.params;
        if (ROLE_RANK[request.body.role] > ROLE_RANK[actor]) throw new RoachError('CR_ERR_FORBIDDEN', `A ${actor} cannot grant ${request.body.role}.`, { reason: 'rank', role: actor });
        const existing = await deps.tenants.userIdOf(request.params.subject);
        if (existing) {
          // What the member holds on this project now: its project role, or else its organization role.
          const current = (await deps.tenants.projectRoleOf(org, projectId, existing)) ?? (await deps.tenants.roleOf(org, existing));
          if (current && ROLE_RANK[current] > ROLE_RANK[actor]) throw new RoachError('CR_ERR_FORBIDDEN', `A ${actor} cannot change the role of a ${current}.`, { reason: 'rank', role: actor });
        }
        const userId = existing ?? (await deps.tenants.ensureUser(request.params.subject, null, null));
        await deps.tenants.setProjectRole(org, projectId, userId, request.body.role);
        return { subject: request.params.subject, projectId, role: request.body.role };
      },
    );
  };
}
