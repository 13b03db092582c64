import { RoachError } from '../../domain/errors.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';

import { ORGANIZATION_ROLES, ROLE_RANK } from '../../domain/roles.js';
import type { OrganizationRole } from '../../domain/roles.js';

export { ORGANIZATION_ROLES, ROLE_RANK };
export type { OrganizationRole };

export interface Organization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export interface Member {
  readonly userId: string;
  readonly subject: string;
  readonly email: string | null;
  readonly role: OrganizationRole;
}

export interface Project {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly rootPath: string;
  /** Set for projects cloned from a git URL (listings and lookups; registration answers without it). */
  readonly gitUrl?: string | null;
  readonly gitRef?: string | null;
}

/** Creates the organization, or returns it when the slug exists. Not tenant-scoped: it makes tenants. */
export async function ensureOrganization(db: SqlClient, slug: string, name: string): Promise<Organization> {
  const [row] = await db.query<Organization>(
    `INSERT INTO organizations (slug, name) VALUES ($1, $2)
     ON CONFLICT (slug) DO UPDATE SET name = organizations.name RETURNING id, slug, name`,
    [slug, name],
  );
  if (!row) throw new Error('ensureOrganization: upsert returned no row');
  return row;
}

export async function organizationBySlug(db: SqlClient, slug: string): Promise<Organization | null> {
  const [row] = await db.query<Organization>('SELECT id, slug, name FROM organizations WHERE slug = $1', [slug]);
  return row ?? null;
}

/** Users are global (one person, many organizations), keyed by the identity provider's subject. */
export async function ensureUser(db: SqlClient, subject: string, email: string | null, name: string | null): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO users (subject, email, name) VALUES ($1, $2, $3)
     ON CONFLICT (subject) DO UPDATE SET email = coalesce(EXCLUDED.email, users.email), name = coalesce(EXCLUDED.name, users.name)
     RETURNING id`,
    [subject, email, name],
  );
  if (!row) throw new Error('ensureUser: upsert returned no row');
  return row.id;
}

/** Gives (or changes) a user's role in an organization. Runs tenant-scoped: the caller passes a scoped client. */
export async function setMembership(tx: SqlClient, organizationId: string, userId: string, role: OrganizationRole): Promise<void> {
  await tx.query(
    `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [organizationId, userId, role],
  );
}

export async function members(tx: SqlClient, organizationId: string): Promise<Member[]> {
  return tx.query<Member>(
    `SELECT u.id AS "userId", u.subject, u.email, m.role
     FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.organization_id = $1 ORDER BY u.subject`,
    [organizationId],
  );
}

/** The role of a user in an organization, or null when they are not a member. */
export async function roleOf(tx: SqlClient, organizationId: string, userId: string): Promise<OrganizationRole | null> {
  const [row] = await tx.query<{ role: OrganizationRole }>('SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2', [organizationId, userId]);
  return row?.role ?? null;
}

export async function registerProject(tx: SqlClient, organizationId: string, rootPath: string, name: string): Promise<Project> {
  const [row] = await tx.query<Project>(
    `INSERT INTO projects (organization_id, name, root_path) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, root_path) DO UPDATE SET name = projects.name
     RETURNING id, organization_id AS "organizationId", name, root_path AS "rootPath"`,
    [organizationId, name, rootPath],
  );
  if (!row) throw new Error('registerProject: upsert returned no row');
  return row;
}

/**
 * Projects of other organizations whose root is `rootPath`, lies inside it or holds it. Runs as the
 * store owner (row-level security would hide exactly these rows), inside the registering transaction,
 * after the lock that serialises registrations. Roots are stored as real paths without a trailing
 * separator, so "inside" is a prefix followed by "/".
 */
export async function foreignOverlappingProjects(db: SqlClient, organizationId: string, rootPath: string): Promise<{ id: string }[]> {
  return db.query<{ id: string }>(
    `SELECT id FROM projects
     WHERE organization_id <> $1
       AND (root_path = $2
            OR starts_with($2, CASE WHEN root_path = '/' THEN '/' ELSE root_path || '/' END)
            OR starts_with(root_path, CASE WHEN $2 = '/' THEN '/' ELSE $2 || '/' END))
     LIMIT 1`,
    [organizationId, rootPath],
  );
}

/** Taken for the length of a registering transaction: two organizations cannot claim overlapping folders at once. */
export async function lockProjectRoots(tx: SqlClient): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('code-roach:project-roots'))`);
}

// git_url/git_ref (migration 0009): where a project cloned from a git URL comes from; null for folders.
const PROJECT_COLUMNS = `id, organization_id AS "organizationId", name, root_path AS "rootPath", git_url AS "gitUrl", git_ref AS "gitRef"`;

export async function projects(tx: SqlClient, organizationId: string): Promise<Project[]> {
  return tx.query<Project>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE organization_id = $1 ORDER BY name, id`, [organizationId]);
}

/** A project of this organization by id, root path or name; null when the organization has none such. */
export async function findProject(tx: SqlClient, organizationId: string, ref: string): Promise<Project | null> {
  const [row] = await tx.query<Project>(
    `SELECT ${PROJECT_COLUMNS} FROM projects
     WHERE organization_id = $1 AND (id::text = $2 OR root_path = $2 OR name = $2)
     ORDER BY (id::text = $2) DESC, (root_path = $2) DESC LIMIT 1`,
    [organizationId, ref],
  );
  return row ?? null;
}

export function projectRef(project: Project): ProjectRef {
  return { organizationId: project.organizationId, projectId: project.id };
}

/** Removes a user from an organization (and from its projects); false when they were not a member. */
export async function removeMembership(tx: SqlClient, organizationId: string, userId: string): Promise<boolean> {
  await tx.query('DELETE FROM project_memberships WHERE user_id = $2 AND project_id IN (SELECT id FROM projects WHERE organization_id = $1)', [organizationId, userId]);
  return (await tx.query('DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2 RETURNING user_id', [organizationId, userId])).length > 0;
}

export type ProjectRole = 'admin' | 'member' | 'viewer';

export async function setProjectRole(tx: SqlClient, projectId: string, userId: string, role: ProjectRole): Promise<void> {
  await tx.query(
    `INSERT INTO project_memberships (project_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [projectId, userId, role],
  );
}

/** A user's role on one project, when one was set there. */
export async function projectRoleOf(tx: SqlClient, projectId: string, userId: string): Promise<ProjectRole | null> {
  const [row] = await tx.query<{ role: ProjectRole }>('SELECT role FROM project_memberships WHERE project_id = $1 AND user_id = $2', [projectId, userId]);
  return row?.role ?? null;
}

export async function userIdOf(db: SqlClient, subject: string): Promise<string | null> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM users WHERE subject = $1', [subject]);
  return row?.id ?? null;
}

/**
 * Changes (role) or removes (null) a member's role on behalf of an actor of rank `actor`, in one
 * transaction with the organization's owner rows locked, so two concurrent demotions cannot leave an
 * organization without an owner. Refused (CR_ERR_FORBIDDEN) when the new role outranks the actor, the
 * member's current role outranks the actor, or the member is the last owner and would stop being one.
 * Answers the member's role before the change (null: they were not a member).
 */
export async function changeMembership(tx: SqlClient, organizationId: string, userId: string, role: OrganizationRole | null, actor: OrganizationRole): Promise<OrganizationRole | null> {
  if (role !== null && ROLE_RANK[role] > ROLE_RANK[actor]) throw new RoachError('CR_ERR_FORBIDDEN', `A ${actor} cannot grant ${role}.`, { reason: 'rank', role: actor });
  const owners = await tx.query<{ user_id: string }>(`SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner' FOR UPDATE`, [organizationId]);
  const current = await roleOf(tx, organizationId, userId);
  if (current !== null && ROLE_RANK[current] > ROLE_RANK[actor]) {
    throw new RoachError('CR_ERR_FORBIDDEN', `A ${actor} cannot ${role === null ? 'remove' : 'change the role of'} a ${current}.`, { reason: 'rank', role: actor });
  }
  if (current === 'owner' && role !== 'owner' && owners.length <= 1) {
    throw new RoachError('CR_ERR_FORBIDDEN', `This is the organization's last owner: make another member owner before ${role === null ? 'removing' : 'demoting'} them.`, { reason: 'last-owner' });
  }
  if (role === null) {
    if (current !== null) await removeMembership(tx, organizationId, userId);
  } else {
    await setMembership(tx, organizationId, userId, role);
  }
  return current;
}
