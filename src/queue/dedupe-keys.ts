import { randomUUID } from 'node:crypto';

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

/** A job id naming its organization (`<organization id>_<random uuid>`): unguessable, and checked against the job's own payload on lookup. */
export function tenantJobId(organizationId: string): string {
  return `${organizationId}_${randomUUID()}`;
}

/** The organization a tenant job id names, or null for ids without one (queue-assigned numbers). */
export function organizationOfJobId(jobId: string): string | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_/i.exec(jobId);
  return match ? (match[1] as string).toLowerCase() : null;
}
