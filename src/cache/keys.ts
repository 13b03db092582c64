/**
 * The one place for cache keys and their lifetimes (product spec). Every key is `roach:<kind>:...`, so
 * a family of keys can be dropped with one prefix and keys never collide across kinds.
 */
export const CACHE_TTL_SECONDS = Object.freeze({
  /** Size, mtime and hash of every file of a project: what lets a re-crawl skip unchanged files. */
  fileHashes: 24 * 60 * 60,
  patterns: 60 * 60,
  issues: 60 * 60,
  session: 30 * 60,
  rateLimit: 60,
  /** API keys by hash: short, so a key's last-used time stays close; revocation drops the family at once. */
  apiKey: 60,
  /** Which organization owns a project: it never changes. */
  projectOrganization: 60 * 60,
  /** A model's kept answer to a prompt: it never changes once stored. */
  llmAnswer: 24 * 60 * 60,
} as const);

/**
 * Segments are percent-encoded so that a ':' inside an id cannot make one key look like a member of
 * another family (e.g. organization "a:b" vs organization "a").
 */
function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

const patterns = (organizationId: string): string => `roach:patterns:${segment(organizationId)}:`;

export const cacheKeys = Object.freeze({
  fileStates: (projectId: string): string => `roach:filehashes:${segment(projectId)}`,
  /**
   * Prefix of every pattern key of one organization. A project's view of a pattern depends on the
   * organization's pool when it shares its learning, so an outcome anywhere drops the whole family.
   */
  patterns,
  pattern: (organizationId: string, projectId: string, fingerprint: string): string =>
    `${patterns(organizationId)}${segment(projectId)}:${segment(fingerprint)}`,
  openIssues: (projectId: string): string => `roach:issues:${segment(projectId)}:open`,
  session: (id: string): string => `roach:session:${segment(id)}`,
  /** Prefix of every cached API key (dropped whole when a key is revoked). */
  apiKeys: 'roach:apikey:',
  apiKey: (keyHash: string): string => `roach:apikey:${segment(keyHash)}`,
  projectOrganization: (projectId: string): string => `roach:projectorg:${segment(projectId)}`,
  /** A generated fix's kept answer, per organization, provider, model and prompt hash (issue 15). */
  llmAnswer: (organizationId: string, provider: string, model: string, promptSha256: string): string =>
    `roach:llm:${segment(organizationId)}:${segment(provider)}:${segment(model)}:${segment(promptSha256)}`,
  /** `windowStart` identifies the fixed window (e.g. epoch minute), so each window counts afresh. */
  rateLimit: (subject: string, routeClass: string, windowStart: number): string =>
    `roach:ratelimit:${segment(subject)}:${segment(routeClass)}:${segment(windowStart)}`,
});
