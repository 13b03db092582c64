import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoachError } from '../../domain/errors.js';
import type { ApiDeps } from '../context.js';
import { access } from '../route-access.js';
import { uuid } from '../schemas.js';

const settings = z.object({
  /** Service mode: the repository's `.roach.yml` commands run (sandboxed) during crawl jobs. */
  repositoryCommands: z.boolean(),
});

/**
 * Per-project settings that decide what the workers do with a repository's own code. Changing
 * them is an organization admin's decision, like registering the project: the route is
 * organization-scoped (`project:create`, which only owners and admins hold; a role on the project
 * alone or a project-scoped key does not reach it), the project is a resource under it, and the
 * change is audited as every write is.
 */
export function projectSettingsRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/api/code-roach/organizations/:org/projects/:project/settings',
      { config: access.organization('project:create'), schema: { params: z.object({ org: uuid, project: uuid }), body: settings.partial().strict(), response: { 200: settings } } },
      async (request) => {
        // Row-level security scopes the update to the organization: another tenant's project is "not found".
        const updated = await deps.tenants.updateProjectSettings(request.params.org, request.params.project, request.body);
        if (!updated) throw new RoachError('CR_ERR_NOT_FOUND', 'No project with that id.');
        return updated;
      },
    );
  };
}
