import { RoachError } from '../domain/errors.js';
import type { OrganizationRole } from '../domain/roles.js';
import type { TenantStore } from '../store/ports.js';
import type { Principal } from './auth.js';
import { ROLE_PERMISSIONS } from './permissions.js';
import type { Permission } from './permissions.js';

/** What a request may touch once authorised: its organization and, on project routes, its project. */
export interface Scope {
  readonly organizationId: string;
  /** The role that decided: the project role on a project route when one is set, else the organization role (or the key's). */
  readonly role: OrganizationRole;
  /** The authorised project (project routes only): the one id the handler may act on. */
  readonly projectId: string | null;
}

/** The resource a route's declaration resolved to: a project (project routes) or the organization alone. */
export interface Target {
  readonly organizationId: string;
  readonly projectId: string | null;
}

const hidden = (what: string): RoachError => new RoachError('CR_ERR_NOT_FOUND', `No ${what} with that id.`);

/**
 * Checks that the caller may use `permission` on the target. Project roles count only when the target
 * is a project (a project route); organization routes use organization roles alone. A project-scoped
 * API key reaches its projects only: an organization-level action with it is refused. Another tenant's
 * organization or project answers exactly like one that does not exist, so ids leak nothing.
 */
export async function authorize(tenants: TenantStore, principal: Principal, target: Target, permission: Permission): Promise<Scope> {
  const { organizationId, projectId } = target;
  let role: OrganizationRole | null;
  if (principal.kind === 'apiKey') {
    if (principal.organizationId !== organizationId) throw hidden(projectId ? 'project' : 'organization');
    if (principal.projectIds.length > 0) {
      if (projectId === null) {
        throw new RoachError('CR_ERR_FORBIDDEN', 'This API key is limited to its projects: organization-wide actions need a key without a project list.', { reason: 'project-scoped-key', permission });
      }
      if (!principal.projectIds.includes(projectId)) throw hidden('project');
    }
    role = principal.role;
  } else {
    // On a project route a role set on the project replaces the organization role there (narrower or wider).
    const projectRole = projectId ? await tenants.projectRoleOf(organizationId, projectId, principal.userId) : null;
    role = projectRole ?? (await tenants.roleOf(organizationId, principal.userId));
    if (!role) throw hidden(projectId ? 'project' : 'organization');
  }
  if (!ROLE_PERMISSIONS[role].has(permission)) {
    throw new RoachError('CR_ERR_FORBIDDEN', `A ${role} may not ${permission.replace(':', ' ')} here.`, { role, permission });
  }
  return { organizationId, role, projectId };
}

/** Who did it, for the audit log and fix records. */
export function actorOf(principal: Principal | null): string {
  if (!principal) return 'anonymous';
  return principal.kind === 'apiKey' ? `api-key:${principal.keyId}` : `user:${principal.subject}`;
}
