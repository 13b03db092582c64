/**
 * The store as api/ sees it: interfaces and record types, no SQL and no driver. store/ implements them;
 * main/ builds the implementations and hands them to the api.
 */
import type { ApiKeyRecord, ApiKeyRole, AuditEntry, AuditPage } from './repositories/access.js';
import type { ProjectRemote } from './repositories/git-projects.js';
import type { ProjectSettings } from './repositories/project-settings.js';
import type { Member, Organization, Project } from './repositories/tenancy.js';
import type { AuthorRuleRow, AuthorStats, DeveloperScope, WeekRow } from './repositories/attribution.js';
import type { OrganizationRole } from '../domain/roles.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type * as access from './repositories/access.js';
import type * as analytics from './repositories/analytics.js';
import type * as fixRepo from './repositories/fixes.js';
import type * as issues from './repositories/issues.js';
import type * as tenancy from './repositories/tenancy.js';

export type { ApiKeyRecord, ApiKeyRole, AuditEntry, AuditPage, AuthorRuleRow, AuthorStats, DeveloperScope, Member, Organization, Project, ProjectRemote, ProjectSettings, WeekRow };

/**
 * What the service (workers, API) asks of the store beyond the pipeline: tenants, members, projects
 * and paged reads. Every call that reads or writes a tenant's rows takes the organization and runs
 * as it, so another organization's rows are invisible even to a query that forgot to filter.
 */
export interface TenantStore {
  ensureOrganization(slug: string, name: string): Promise<Organization>;
  organizationBySlug(slug: string): Promise<Organization | null>;
  organization(organizationId: string): Promise<Organization | null>;
  ensureUser(subject: string, email: string | null, name: string | null): Promise<string>;
  setMembership(organizationId: string, userId: string, role: OrganizationRole): Promise<void>;
  members(organizationId: string): Promise<Member[]>;
  roleOf(organizationId: string, userId: string): Promise<OrganizationRole | null>;
  removeMembership(organizationId: string, userId: string): Promise<boolean>;
  /**
   * Sets (role) or removes (null) a membership for an actor of rank `actor`: never above the actor's
   * rank, never over a higher-ranked member, never the last owner away (CR_ERR_FORBIDDEN). Answers the
   * role before the change.
   */
  changeMembership(organizationId: string, userId: string, role: OrganizationRole | null, actor: OrganizationRole): Promise<OrganizationRole | null>;
  setProjectRole(organizationId: string, projectId: string, userId: string, role: tenancy.ProjectRole): Promise<void>;
  projectRoleOf(organizationId: string, projectId: string, userId: string): Promise<tenancy.ProjectRole | null>;
  userIdOf(subject: string): Promise<string | null>;
  /**
   * Registers a folder (a real path) as a project of the organization, or returns the one it has there.
   * A folder belongs to one organization only: CR_ERR_PROJECT_PATH_TAKEN when another organization has
   * it, or a folder inside or around it.
   */
  registerProject(organizationId: string, rootPath: string, name: string): Promise<Project>;
  projects(organizationId: string): Promise<Project[]>;
  findProject(organizationId: string, ref: string): Promise<Project | null>;
  /** Projects cloned from a git URL: where from (no credentials: those are refused before). */
  setProjectRemote(organizationId: string, projectId: string, remote: ProjectRemote): Promise<void>;
  /** Per-project settings an organization admin controls (null: no such project in the organization). */
  projectSettings(organizationId: string, projectId: string): Promise<ProjectSettings | null>;
  updateProjectSettings(organizationId: string, projectId: string, change: Partial<ProjectSettings>): Promise<ProjectSettings | null>;
  pageIssues(project: ProjectRef, options: Parameters<typeof issues.pageIssues>[2]): Promise<issues.IssuePage>;
  /** Fixes waiting for review (or in other states), newest first, one keyset page at a time. */
  pageFixes(project: ProjectRef, statuses: Parameters<typeof fixRepo.pageFixes>[2], page: Parameters<typeof fixRepo.pageFixes>[3]): Promise<fixRepo.FixPage>;
  createApiKey(key: Parameters<typeof access.createApiKey>[1]): Promise<ApiKeyRecord>;
  apiKeys(organizationId: string): Promise<ApiKeyRecord[]>;
  revokeApiKey(organizationId: string, id: string): Promise<boolean>;
  /** Authentication: the live key with this hash (any organization), marked as used. */
  useApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  organizationOfProject(projectId: string): Promise<string | null>;
  organizationsOfUser(userId: string): Promise<{ id: string; slug: string; name: string; role: string }[]>;
  recordAudit(entry: AuditEntry): Promise<void>;
  auditPage(organizationId: string, limit: number, before: string | null): Promise<AuditPage>;
  projectAnalytics(project: ProjectRef, range: analytics.AnalyticsRange): Promise<analytics.ProjectAnalytics>;
  latestFileHealth(project: ProjectRef, limit: number): ReturnType<typeof analytics.latestFileHealth>;
  patterns(organizationId: string, limit: number): Promise<analytics.PatternRow[]>;
  /** Seals the URL and signing secret (needs the secret box); answers with the masked view. */
  addChannel(organizationId: string, channel: NewChannel): Promise<ChannelView>;
  channels(organizationId: string): Promise<ChannelView[]>;
  /** Delivery only: these channels with URL and secret opened. */
  channelTargets(organizationId: string, ids: readonly string[]): Promise<ChannelTarget[]>;
  removeChannel(organizationId: string, id: string): Promise<boolean>;
  /** The organization's generated-fix settings with this month's spending; the key never (only whether one is set). */
  llmSettings(organizationId: string): Promise<LlmSettingsView | null>;
  /**
   * Replaces them, sealing a new key (needs the secret box). Without a new key the stored one is kept only while
   * provider and endpoint stay the same: a key is never sent where its owner did not give it.
   */
  putLlmSettings(organizationId: string, settings: NewLlmSettings): Promise<LlmSettingsView>;
  removeLlmSettings(organizationId: string): Promise<boolean>;
  /** Crawls only: the settings with the key opened, and this month's spending. */
  llmSettingsForCrawl(organizationId: string): Promise<OrganizationLlm | null>;
}

export interface NewLlmSettings {
  readonly enabled: boolean;
  readonly provider: 'openai' | 'anthropic' | 'google' | 'openai-compatible';
  readonly model: string;
  readonly cheapModel: string | null;
  readonly baseUrl: string | null;
  /** A new key; null: none; absent: keep the stored one (see putLlmSettings). */
  readonly apiKey?: string | null;
  readonly monthlyBudgetUsd: number | null;
}

export interface LlmSettingsView extends Omit<NewLlmSettings, 'apiKey'> {
  readonly hasApiKey: boolean;
  readonly updatedAt: string;
  /** What the organization's calls cost since the first of this month (UTC), in USD. */
  readonly spentThisMonthUsd: number;
}

export interface OrganizationLlm extends Omit<NewLlmSettings, 'apiKey'> {
  readonly apiKey: string | null;
  readonly spentThisMonthUsd: number;
}

export interface NewChannel {
  readonly name: string;
  readonly type: 'webhook' | 'slack';
  readonly url: string;
  readonly secret: string | null;
  readonly events: readonly string[];
}

/** What listings show: the URL masked to scheme and host, whether a signing secret is set, never the secret. */
export interface ChannelView {
  readonly id: string;
  readonly name: string;
  readonly type: 'webhook' | 'slack';
  readonly url: string;
  readonly signed: boolean;
  readonly events: readonly string[];
}

export interface ChannelTarget {
  readonly id: string;
  readonly type: 'webhook' | 'slack';
  readonly url: string;
  readonly secret: string | null;
}

/** Developer aggregates for the API: every read runs as the scope's organization. */
export interface DeveloperStore {
  authorStats(scope: DeveloperScope, author: string | null): Promise<AuthorStats[]>;
  weeklyTrend(scope: DeveloperScope): Promise<WeekRow[]>;
  authorRules(scope: DeveloperScope, author: string | null): Promise<AuthorRuleRow[]>;
  attributionStates(organizationId: string, projectId: string | null): Promise<{ available: boolean; reason: string | null }[]>;
}
