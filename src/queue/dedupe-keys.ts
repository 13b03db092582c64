/**
 * Deduplication keys of the job catalogue. Each names its organization: a key shared by two tenants
 * would fold one tenant's request onto the other's job, which the first cannot see (and which may fail
 * for reasons that are not theirs).
 */
export const dedupeKeys = Object.freeze({
  /** One crawl (or analysis) of a project at a time. */
  projectCrawl: (organizationId: string, projectId: string): string => `org:${organizationId}:project:${projectId}`,
  /** One decision per fix and action at a time. */
  fixDecision: (organizationId: string, fixId: string, action: string): string => `org:${organizationId}:fix:${fixId}:${action}`,
});
