import type { ProjectRef } from '../pipeline/ports.js';
import type { SqlClient } from './sql.js';
import { withTenant } from './tenant.js';
import * as issues from './repositories/issues.js';
import * as tenancy from './repositories/tenancy.js';
import type { Member, Organization, OrganizationRole, Project } from './repositories/tenancy.js';

/**
 * What the service (workers, API) asks of the store beyond the pipeline: tenants, members, projects
 * and paged reads. Every call that reads or writes a tenant's rows takes the organization and runs
 * as it, so another organization's rows are invisible even to a query that forgot to filter.
 */
export interface TenantStore {
  ensureOrganization(slug: string, name: string): Promise<Organization>;
  organizationBySlug(slug: string): Promise<Organization | null>;
  ensureUser(subject: string, email: string | null, name: string | null): Promise<string>;
  setMembership(organizationId: string, userId: string, role: OrganizationRole): Promise<void>;
  members(organizationId: string): Promise<Member[]>;
  roleOf(organizationId: string, userId: string): Promise<OrganizationRole | null>;
  registerProject(organizationId: string, rootPath: string, name: string): Promise<Project>;
  projects(organizationId: string): Promise<Project[]>;
  findProject(organizationId: string, ref: string): Promise<Project | null>;
  pageIssues(project: ProjectRef, options: Parameters<typeof issues.pageIssues>[2]): Promise<issues.IssuePage>;
}

export function createTenantStore(db: SqlClient): TenantStore {
  const as = <T>(organizationId: string, work: (tx: SqlClient) => Promise<T>): Promise<T> => withTenant(db, organizationId, work);
  return {
    ensureOrganization: (slug, name) => tenancy.ensureOrganization(db, slug, name),
    organizationBySlug: (slug) => tenancy.organizationBySlug(db, slug),
    ensureUser: (subject, email, name) => tenancy.ensureUser(db, subject, email, name),
    setMembership: (org, userId, role) => as(org, (tx) => tenancy.setMembership(tx, org, userId, role)),
    members: (org) => as(org, (tx) => tenancy.members(tx, org)),
    roleOf: (org, userId) => as(org, (tx) => tenancy.roleOf(tx, org, userId)),
    registerProject: (org, rootPath, name) => as(org, (tx) => tenancy.registerProject(tx, org, rootPath, name)),
    projects: (org) => as(org, (tx) => tenancy.projects(tx, org)),
    findProject: (org, ref) => as(org, (tx) => tenancy.findProject(tx, org, ref)),
    pageIssues: (project, options) => as(project.organizationId, (tx) => issues.pageIssues(tx, project, options)),
  };
}
