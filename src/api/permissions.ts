import { ROLE_RANK } from '../domain/roles.js';
import type { OrganizationRole } from '../domain/roles.js';

/** What a route needs the caller to be allowed. */
export type Permission =
  | 'org:read'
  | 'members:manage'
  | 'keys:manage'
  | 'audit:read'
  | 'project:create'
  | 'project:read'
  | 'crawl:run'
  | 'fix:decide'
  | 'notify:send'
  | 'channels:manage'
  | 'llm:manage';

export const PERMISSIONS: readonly Permission[] = [
  'org:read', 'members:manage', 'keys:manage', 'audit:read', 'project:create', 'project:read', 'crawl:run', 'fix:decide', 'notify:send', 'channels:manage', 'llm:manage',
];

const READ: readonly Permission[] = ['org:read', 'project:read'];
const WORK: readonly Permission[] = [...READ, 'crawl:run', 'fix:decide', 'notify:send'];
const ADMIN: readonly Permission[] = [...WORK, 'members:manage', 'keys:manage', 'audit:read', 'project:create', 'channels:manage', 'llm:manage'];

/** The one matrix of who may do what. API keys carry admin, member or viewer. */
export const ROLE_PERMISSIONS: Readonly<Record<OrganizationRole, ReadonlySet<Permission>>> = Object.freeze({
  // Owners differ from admins in what they may grant (ROLE_RANK): only an owner makes owners.
  owner: new Set<Permission>(ADMIN),
  admin: new Set<Permission>(ADMIN),
  member: new Set<Permission>(WORK),
  viewer: new Set<Permission>(READ),
});

/** Ranks for "a role may only grant roles up to its own and never touch a higher one". */
export { ROLE_RANK };
