import { RoachError } from '../../domain/errors.js';

/** The project a route authorised (its declared projectId): the only project its handler acts on. */
export function authorizedProject(scope: { organizationId: string; projectId: string | null } | null): { organizationId: string; projectId: string } {
  if (!scope?.projectId) throw new RoachError('CR_ERR_INTERNAL', 'A project route ran without an authorised project.');
  return { organizationId: scope.organizationId, projectId: scope.projectId };
}
