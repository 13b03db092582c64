import { RoachError } from '../domain/errors.js';
import type { OrganizationRole } from '../store/repositories/tenancy.js';
import type { TenantStore } from '../store/tenant-store.js';
import type { Principal } from './auth.js';
import { ROLE_PERMISSIONS } from './permissions.js';
import type { Permission } from './permissions.js';

/** What a request may touch once authorised: its organization and, when it names one, its project. */
export interface Scope {
  readonly organizationId: string;
  readonly role: OrganizationRole;
  readonly projectId: string | null;
}

const hidden = (what: string): RoachError => new RoachError('CR_ERR_NOT_FOUND', `No ${what} with that id.`);

/**
 * Checks that the caller may use `permission` in the organization (and project). Another tenant's
 * organization or project answers exactly like one that does not exist, so ids leak nothing.
 */
export async function authorize(tenants: TenantStore, principal: Principal, organizationId: string, permission: Permission, projectId: string | null): Promise<Scope> {
  let role: OrganizationRole | null;
  if (principal.kind === 'apiKey') {
    if (principal.organizationId !== organizationId) throw hidden(projectId ? 'project' : 'organization');
    if (projectId && principal.projectIds.length > 0 && !principal.projectIds.includes(projectId)) throw hidden('project');
    role = principal.role;
  } else {
    // A role set on the project replaces the organization role there (narrower or wider).
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
