import type { SqlClient } from './sql.js';
import { withTenant } from './tenant.js';
import * as access from './repositories/access.js';
import type { ApiKeyRecord, ApiKeyRole, AuditEntry } from './repositories/access.js';
import * as analytics from './repositories/analytics.js';
import * as channelRepo from './repositories/channels.js';
import * as llmRepo from './repositories/llm-settings.js';
import * as gitProjects from './repositories/git-projects.js';
import type { ProjectRemote } from './repositories/git-projects.js';
import { RoachError } from '../domain/errors.js';
import { maskUrl } from '../domain/secret-box.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { SealedChannel } from './repositories/channels.js';
import * as fixRepo from './repositories/fixes.js';
import * as issues from './repositories/issues.js';
import * as projectSettings from './repositories/project-settings.js';
import type { ProjectSettings } from './repositories/project-settings.js';
import * as tenancy from './repositories/tenancy.js';
import type { ChannelTarget, ChannelView, LlmSettingsView, NewChannel, TenantStore } from './ports.js';
import type { Organization } from './repositories/tenancy.js';

export type { ApiKeyRecord, ApiKeyRole, AuditEntry, ProjectRemote, ProjectSettings };
/** The interfaces live in ports.ts (what api/ may see); exported here too for main/ and the tests. */
export type { ChannelTarget, ChannelView, NewChannel, TenantStore };

/** The first instant of this month, UTC: monthly budgets count from it. */
export function monthStart(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function llmView({ apiKeySealed, ...row }: llmRepo.SealedLlmSettings, spentThisMonthUsd: number): LlmSettingsView {
  return { ...row, hasApiKey: apiKeySealed !== null, spentThisMonthUsd };
}

/** `secrets` seals channel secrets; without one (service mode without ROACH_SECRET_KEY) channels cannot be stored. */
export function createTenantStore(db: SqlClient, secrets: SecretBox | null = null): TenantStore {
  const as = <T>(organizationId: string, work: (tx: SqlClient) => Promise<T>): Promise<T> => withTenant(db, organizationId, work);
  const box = (): SecretBox => {
    if (!secrets) throw new RoachError('CR_ERR_SERVICE_CONFIG', 'ROACH_SECRET_KEY is not set: this server cannot store or read channel secrets or model keys.', { setting: 'ROACH_SECRET_KEY' });
    return secrets;
  };
  // A row from before migration 0009 stays usable (plaintext) until a process with a key seals it at start-up.
  const urlOf = (row: SealedChannel): string => (row.urlSealed !== null ? box().open(row.urlSealed) : (row.legacyUrl ?? ''));
  const view = (row: SealedChannel): ChannelView => ({
    id: row.id, name: row.name, type: row.type, url: maskUrl(urlOf(row)), signed: row.secretSealed !== null, events: row.events,
  });
  return {
    ensureOrganization: (slug, name) => tenancy.ensureOrganization(db, slug, name),
    organizationBySlug: (slug) => tenancy.organizationBySlug(db, slug),
    organization: (org) => as(org, async (tx) => (await tx.query<Organization>('SELECT id, slug, name FROM organizations WHERE id = $1', [org]))[0] ?? null),
    ensureUser: (subject, email, name) => tenancy.ensureUser(db, subject, email, name),
    setMembership: (org, userId, role) => as(org, (tx) => tenancy.setMembership(tx, org, userId, role)),
    members: (org) => as(org, (tx) => tenancy.members(tx, org)),
    roleOf: (org, userId) => as(org, (tx) => tenancy.roleOf(tx, org, userId)),
    removeMembership: (org, userId) => as(org, (tx) => tenancy.removeMembership(tx, org, userId)),
    changeMembership: (org, userId, role, actor) => as(org, (tx) => tenancy.changeMembership(tx, org, userId, role, actor)),
    setProjectRole: (org, projectId, userId, role) => as(org, (tx) => tenancy.setProjectRole(tx, projectId, userId, role)),
    projectRoleOf: (org, projectId, userId) => as(org, (tx) => tenancy.projectRoleOf(tx, projectId, userId)),
    userIdOf: (subject) => tenancy.userIdOf(db, subject),
    registerProject: (org, rootPath, name) =>
      db.transaction(async (tx) => {
        await tenancy.lockProjectRoots(tx);
        if ((await tenancy.foreignOverlappingProjects(tx, org, rootPath)).length > 0) {
          // Which organization holds it is not said: that would tell one tenant about another.
          throw new RoachError('CR_ERR_PROJECT_PATH_TAKEN', `${rootPath} (or a folder inside or around it) is already a project of another organization.`, { field: 'path' });
        }
        return withTenant(tx, org, (scoped) => tenancy.registerProject(scoped, org, rootPath, name));
      }),
    projects: (org) => as(org, (tx) => tenancy.projects(tx, org)),
    findProject: (org, ref) => as(org, (tx) => tenancy.findProject(tx, org, ref)),
    setProjectRemote: (org, projectId, remote) => as(org, (tx) => gitProjects.setProjectRemote(tx, projectId, remote)),
    projectSettings: (org, projectId) => as(org, (tx) => projectSettings.projectSettings(tx, projectId)),
    updateProjectSettings: (org, projectId, change) => as(org, (tx) => projectSettings.updateProjectSettings(tx, projectId, change)),
    pageIssues: (project, options) => as(project.organizationId, (tx) => issues.pageIssues(tx, project, options)),
    pageFixes: (project, statuses, page) => as(project.organizationId, (tx) => fixRepo.pageFixes(tx, project, statuses, page)),
    createApiKey: (key) => as(key.organizationId, (tx) => access.createApiKey(tx, key)),
    apiKeys: (org) => as(org, (tx) => access.apiKeys(tx, org)),
    revokeApiKey: (org, id) => as(org, (tx) => access.revokeApiKey(tx, org, id)),
    useApiKey: (keyHash) => access.useApiKey(db, keyHash),
    organizationOfProject: (projectId) => access.organizationOfProject(db, projectId),
    organizationsOfUser: (userId) => access.organizationsOfUser(db, userId),
    recordAudit: (entry) => access.recordAudit(db, entry),
    auditPage: (org, limit, before) => as(org, (tx) => access.auditPage(tx, org, limit, before)),
    projectAnalytics: (project, range) => as(project.organizationId, (tx) => analytics.projectAnalytics(tx, project, range)),
    latestFileHealth: (project, limit) => as(project.organizationId, (tx) => analytics.latestFileHealth(tx, project, limit)),
    patterns: (org, limit) => as(org, (tx) => analytics.patterns(tx, org, limit)),
    addChannel: async (org, { url, secret, ...channel }) => {
      const sealed = { ...channel, urlSealed: box().seal(url), secretSealed: secret === null ? null : box().seal(secret) };
      return view(await as(org, (tx) => channelRepo.addChannel(tx, org, sealed)));
    },
    channels: async (org) => (await as(org, (tx) => channelRepo.channels(tx, org))).map(view),
    channelTargets: async (org, ids) =>
      (await as(org, (tx) => channelRepo.channelsById(tx, org, ids))).map((row) => ({
        id: row.id, type: row.type, url: urlOf(row), secret: row.secretSealed === null ? null : box().open(row.secretSealed),
      })),
    removeChannel: (org, id) => as(org, (tx) => channelRepo.removeChannel(tx, org, id)),
    llmSettings: (org) =>
      as(org, async (tx) => {
        const row = await llmRepo.llmSettings(tx, org);
        return row ? llmView(row, await llmRepo.organizationSpendSince(tx, org, monthStart())) : null;
      }),
    putLlmSettings: (org, { apiKey, ...settings }) =>
      as(org, async (tx) => {
        const before = await llmRepo.llmSettings(tx, org);
        const sameEndpoint = before !== null && before.provider === settings.provider && before.baseUrl === settings.baseUrl;
        const apiKeySealed = apiKey === undefined ? (sameEndpoint ? before.apiKeySealed : null) : apiKey === null ? null : box().seal(apiKey);
        const row = await llmRepo.putLlmSettings(tx, org, { ...settings, apiKeySealed });
        return llmView(row, await llmRepo.organizationSpendSince(tx, org, monthStart()));
      }),
    removeLlmSettings: (org) => as(org, (tx) => llmRepo.removeLlmSettings(tx, org)),
    llmSettingsForCrawl: (org) =>
      as(org, async (tx) => {
        const row = await llmRepo.llmSettings(tx, org);
        if (!row) return null;
        const { apiKeySealed, updatedAt: _updatedAt, ...rest } = row;
        return { ...rest, apiKey: apiKeySealed === null ? null : box().open(apiKeySealed), spentThisMonthUsd: await llmRepo.organizationSpendSince(tx, org, monthStart()) };
      }),
  };
}
