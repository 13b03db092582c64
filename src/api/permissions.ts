import type { OrganizationRole } from '../store/repositories/tenancy.js';

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
  | 'channels:manage';

const READ: readonly Permission[] = ['org:read', 'project:read'];
const WORK: readonly Permission[] = [...READ, 'crawl:run', 'fix:decide', 'notify:send'];
const ADMIN: readonly Permission[] = [...WORK, 'members:manage', 'keys:manage', 'audit:read', 'project:create', 'channels:manage'];

/** The one matrix of who may do what. API keys carry admin, member or viewer. */
export const ROLE_PERMISSIONS: Readonly<Record<OrganizationRole, ReadonlySet<Permission>>> = Object.freeze({
  // Owners differ from admins in what they may grant (ROLE_RANK): only an owner makes owners.
  owner: new Set<Permission>(ADMIN),
  admin: new Set<Permission>(ADMIN),
  member: new Set<Permission>(WORK),
  viewer: new Set<Permission>(READ),
});

/** Every route that acts inside an organization, and the permission it needs ("METHOD /url"). */
export const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = Object.freeze({
  'GET /api/code-roach/organizations/:org': 'org:read',
  'GET /api/code-roach/organizations/:org/members': 'org:read',
  'PUT /api/code-roach/organizations/:org/members/:subject': 'members:manage',
  'DELETE /api/code-roach/organizations/:org/members/:subject': 'members:manage',
  'PUT /api/code-roach/organizations/:org/projects/:projectId/members/:subject': 'members:manage',
  'GET /api/code-roach/organizations/:org/api-keys': 'keys:manage',
  'POST /api/code-roach/organizations/:org/api-keys': 'keys:manage',
  'DELETE /api/code-roach/organizations/:org/api-keys/:id': 'keys:manage',
  'GET /api/code-roach/organizations/:org/audit': 'audit:read',
  'GET /api/code-roach/organizations/:org/projects': 'project:read',
  'POST /api/code-roach/organizations/:org/projects': 'project:create',
  'PUT /api/code-roach/organizations/:org/projects/:projectId/settings': 'project:create',
  'GET /api/code-roach/issues': 'project:read',
  'POST /api/code-roach/crawl': 'crawl:run',
  'GET /api/code-roach/status': 'project:read',
  'GET /api/code-roach/status/stream': 'project:read',
  'GET /api/code-roach/review': 'project:read',
  'POST /api/code-roach/fix': 'fix:decide',
  'GET /api/code-roach/analytics': 'project:read',
  'GET /api/code-roach/file-health': 'project:read',
  'GET /api/code-roach/organizations/:org/patterns': 'org:read',
  'GET /api/code-roach/organizations/:org/channels': 'channels:manage',
  'POST /api/code-roach/organizations/:org/channels': 'channels:manage',
  'DELETE /api/code-roach/organizations/:org/channels/:id': 'channels:manage',
  'POST /api/code-roach/notifications/send': 'notify:send',
  'GET /api/code-roach/developer/stats': 'project:read',
  'GET /api/code-roach/developer/team': 'project:read',
  'GET /api/code-roach/developer/recommendations': 'project:read',
});

/** Ranks for "a role may only grant roles up to its own". */
export const ROLE_RANK: Readonly<Record<OrganizationRole, number>> = Object.freeze({ viewer: 0, member: 1, admin: 2, owner: 3 });
