import type { FileState, PipelineStore } from '../crawl/ports.js';
import type { GeneratedFix, PatternStats, PromptKey } from '../fixes/ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { Cache } from './cache.js';
import { CACHE_TTL_SECONDS, cacheKeys } from './keys.js';

type OpenIssues = Awaited<ReturnType<PipelineStore['openIssues']>>;

/**
 * The pipeline store with file states, open issues and pattern statistics read through `cache`.
 *
 * Every write that changes cached data drops the affected keys once the write has settled: after, so
 * a concurrent read cannot re-cache the old rows; also after a failed write, because writes go in
 * chunks and a failure may leave some committed. The cache is an optimisation only: a cache error is
 * swallowed and the store answers from the database.
 */
export function withCache(store: PipelineStore, cache: Cache): PipelineStore {
  // Bumped by every invalidation. A read that saw it change while it was querying the database does not
  // cache its result, which may predate the write (in this process; other processes rely on the TTL).
  let invalidations = 0;

  async function quietly<T>(fallback: T, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch {
      return fallback;
    }
  }

  async function readThrough<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const cached = await quietly<T | undefined>(undefined, () => cache.get<T>(key));
    if (cached !== undefined) return cached;
    const before = invalidations;
    const fresh = await load();
    if (before === invalidations) await quietly(undefined, () => cache.set(key, fresh, ttlSeconds));
    return fresh;
  }

  async function writeThenDrop<T>(keys: () => readonly string[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      invalidations += 1;
      await quietly(undefined, () => cache.del(keys()));
    }
  }

  const fileStatesKey = (project: ProjectRef): string[] => [cacheKeys.fileStates(project.projectId)];
  const llmAnswerKey = (project: ProjectRef, key: PromptKey): string => cacheKeys.llmAnswer(project.organizationId, key.provider, key.model, key.promptSha256);
  const openIssuesKey = (project: ProjectRef): string[] => [cacheKeys.openIssues(project.projectId)];
  const patternKey = (project: ProjectRef, fingerprint: string): string => cacheKeys.pattern(project.organizationId, project.projectId, fingerprint);

  /** Drops every project's view of the organization's patterns: sharing projects read one pool. */
  async function writeThenDropPatterns<T>(project: ProjectRef, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      invalidations += 1;
      await quietly(undefined, () => cache.delByPrefix(cacheKeys.patterns(project.organizationId)));
    }
  }

  async function fileStates(project: ProjectRef): Promise<Map<string, FileState>> {
    // A Map has no JSON form: it is cached as its entries.
    const entries = await readThrough(cacheKeys.fileStates(project.projectId), CACHE_TTL_SECONDS.fileHashes, async () => [
      ...(await store.fileStates(project)),
    ]);
    return new Map(entries);
  }

  async function patternStats(project: ProjectRef, fingerprints: readonly string[]): Promise<Map<string, PatternStats>> {
    const unique = [...new Set(fingerprints)];
    // null marks a fingerprint known to have no statistics, so unknown patterns are not asked for again.
    const cached = await Promise.all(
      unique.map((fingerprint) => quietly(undefined, () => cache.get<PatternStats | null>(patternKey(project, fingerprint)))),
    );
    const out = new Map<string, PatternStats>();
    const missing: string[] = [];
    unique.forEach((fingerprint, i) => {
      const hit = cached[i];
      if (hit === undefined) missing.push(fingerprint);
      else if (hit !== null) out.set(fingerprint, hit);
    });
    if (missing.length === 0) return out;
    const before = invalidations;
    const fetched = await store.patternStats(project, missing);
    const cacheable = before === invalidations;
    await Promise.all(
      missing.map(async (fingerprint) => {
        const stats = fetched.get(fingerprint) ?? null;
        if (stats !== null) out.set(fingerprint, stats);
        if (cacheable) await quietly(undefined, () => cache.set(patternKey(project, fingerprint), stats, CACHE_TTL_SECONDS.patterns));
      }),
    );
    return out;
  }

  return {
    fileStates,
    saveFileStates: (project, crawlId, states) => writeThenDrop(() => fileStatesKey(project), () => store.saveFileStates(project, crawlId, states)),
    forgetFiles: (project, paths) => writeThenDrop(() => fileStatesKey(project), () => store.forgetFiles(project, paths)),

    openIssues: (project) => readThrough<OpenIssues>(cacheKeys.openIssues(project.projectId), CACHE_TTL_SECONDS.issues, () => store.openIssues(project)),
    upsertIssues: (project, crawlId, findings) => writeThenDrop(() => openIssuesKey(project), () => store.upsertIssues(project, crawlId, findings)),
    resolveMissingIssues: (project, crawlId, analyzed) =>
      writeThenDrop(() => openIssuesKey(project), () => store.resolveMissingIssues(project, crawlId, analyzed)),
    markIssueFixed: (project, issueId, applied, review) =>
      writeThenDrop(() => openIssuesKey(project), () => store.markIssueFixed(project, issueId, applied, review)),
    markIssuesPending: (project, issueIds) => writeThenDrop(() => openIssuesKey(project), () => store.markIssuesPending(project, issueIds)),

    patternStats,
    recordPatternOccurrences: (project, findings) => writeThenDropPatterns(project, () => store.recordPatternOccurrences(project, findings)),
    recordFixOutcomes: (project, outcomes) => writeThenDropPatterns(project, () => store.recordFixOutcomes(project, outcomes)),
    restorePattern: (project, fingerprint, actor, reason) => writeThenDropPatterns(project, () => store.restorePattern(project, fingerprint, actor, reason)),
    setPatternSharing: (project, share) => writeThenDropPatterns(project, () => store.setPatternSharing(project, share)),
    setPatternBestFix: (project, fingerprint, bestFix) => writeThenDropPatterns(project, () => store.setPatternBestFix(project, fingerprint, bestFix)),
    promoteLearnedTemplate: (project, template) => writeThenDropPatterns(project, () => store.promoteLearnedTemplate(project, template)),

    // Not cached: listed one by one so a new port method fails to compile here instead of bypassing invalidation.
    ensureProject: (rootPath, name) => store.ensureProject(rootPath, name),
    startCrawl: (project, options) => store.startCrawl(project, options),
    finishCrawl: (project, crawlId, stats) => store.finishCrawl(project, crawlId, stats),
    failCrawl: (project, crawlId, error) => store.failCrawl(project, crawlId, error),
    openIssueCounts: (project) => store.openIssueCounts(project),
    issuesHavingFixes: (project) => store.issuesHavingFixes(project),
    insertFix: (project, fix) => store.insertFix(project, fix),
    insertFixes: (project, fixes) => store.insertFixes(project, fixes),
    // Kept answers never change once stored: one found is cached for every worker; none found is not, so
    // the answer a concurrent crawl stores is seen at once.
    keptAnswer: async (project, key) => {
      const cacheKey = llmAnswerKey(project, key);
      const cached = await quietly<GeneratedFix | undefined>(undefined, () => cache.get<GeneratedFix>(cacheKey));
      if (cached !== undefined) return cached;
      const kept = await store.keptAnswer(project, key);
      if (kept) await quietly(undefined, () => cache.set(cacheKey, kept, CACHE_TTL_SECONDS.llmAnswer));
      return kept;
    },
    recordLlmCall: async (project, call, answer) => {
      await store.recordLlmCall(project, call, answer);
      if (call.outcome === 'answered' && answer) await quietly(undefined, () => cache.set(llmAnswerKey(project, call), answer, CACHE_TTL_SECONDS.llmAnswer));
    },
    approvedFixDiffs: (project, fingerprint, limit) => store.approvedFixDiffs(project, fingerprint, limit),
    rebaseFix: (project, fixId, files, diff) => store.rebaseFix(project, fixId, files, diff),
    supersedePendingFixes: (project, files) => store.supersedePendingFixes(project, files),
    getFix: (project, fixId) => store.getFix(project, fixId),
    fixFiles: (project, fixId) => store.fixFiles(project, fixId),
    listFixes: (project, statuses) => store.listFixes(project, statuses),
    setFixStatus: (project, fixId, status, reason, actor) => store.setFixStatus(project, fixId, status, reason, actor),
    recordFileHealth: (project, crawlId, records) => store.recordFileHealth(project, crawlId, records),
    recordAnalytics: (project, crawlId, type, value) => store.recordAnalytics(project, crawlId, type, value),
    saveLearnedTemplates: (project, templates) => store.saveLearnedTemplates(project, templates),
    learnedTemplates: (project, fingerprints) => store.learnedTemplates(project, fingerprints),
    minedCommits: (project) => store.minedCommits(project),
    recordMinedCommits: (project, commits) => store.recordMinedCommits(project, commits),
    commitsWithExamples: (project, limit) => store.commitsWithExamples(project, limit),
    calibration: (project) => store.calibration(project),
    appliedFixFiles: (project, paths) => store.appliedFixFiles(project, paths),
    learningReport: (project, limit) => store.learningReport(project, limit),
  };
}
