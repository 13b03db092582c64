/** A member's role in an organization, lowest rights last. */
export type OrganizationRole = 'owner' | 'admin' | 'member' | 'viewer';
export const ORGANIZATION_ROLES: readonly OrganizationRole[] = ['owner', 'admin', 'member', 'viewer'];
/** Ranks for "a role may only grant roles up to its own and never touch a higher one". */
export const ROLE_RANK: Readonly<Record<OrganizationRole, number>> = Object.freeze({ viewer: 0, member: 1, admin: 2, owner: 3 });
