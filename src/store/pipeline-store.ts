import type { PipelineStore } from '../pipeline/ports.js';
import type { SqlClient } from './sql.js';
import * as files from './repositories/files.js';
import * as fixes from './repositories/fixes.js';
import * as issues from './repositories/issues.js';
import * as patterns from './repositories/patterns.js';
import * as projects from './repositories/projects.js';

/** The pipeline's storage port over any SqlClient (PGlite or PostgreSQL). */
export function createPipelineStore(db: SqlClient): PipelineStore {
  return {
    ensureProject: (rootPath, name) => projects.ensureProject(db, rootPath, name),
    startCrawl: (project, options) => projects.startCrawl(db, project, options),
    finishCrawl: (crawlId, stats) => projects.finishCrawl(db, crawlId, stats),
    failCrawl: (crawlId, error) => projects.failCrawl(db, crawlId, error),
    fileStates: (project) => files.fileStates(db, project),
    saveFileStates: (project, crawlId, states) => files.saveFileStates(db, project, crawlId, states),
    forgetFiles: (project, paths) => files.forgetFiles(db, project, paths),
    recordFileHealth: (project, crawlId, records) => files.recordFileHealth(db, project, crawlId, records),
    recordAnalytics: (project, crawlId, type, value) => files.recordAnalytics(db, project, crawlId, type, value),
    upsertIssues: (project, crawlId, findings) => issues.upsertIssues(db, project, crawlId, findings),
    resolveMissingIssues: (project, crawlId, analyzed) => issues.resolveMissingIssues(db, project, crawlId, analyzed),
    openIssues: (project) => issues.openIssues(db, project),
    openIssueCounts: (project) => issues.openIssueCounts(db, project),
    markIssueFixed: (project, issueId, applied, review) => issues.markIssueFixed(db, project, issueId, applied, review),
    markIssuesPending: (project, issueIds) => issues.markIssuesPending(db, project, issueIds),
    patternStats: (project, fingerprints) => patterns.patternStats(db, project, fingerprints),
    recordPatternOccurrences: (project, findings) => patterns.recordPatternOccurrences(db, project, findings),
    recordPatternOutcome: (project, fingerprint, success) => patterns.recordPatternOutcome(db, project, fingerprint, success),
    setPatternBestFix: (project, fingerprint, bestFix) => patterns.setPatternBestFix(db, project, fingerprint, bestFix),
    issuesHavingFixes: (project) => fixes.issuesHavingFixes(db, project),
    insertFix: (project, fix) => fixes.insertFix(db, project, fix),
    insertFixes: (project, list) => fixes.insertFixes(db, project, list),
    rebaseFix: (project, fixId, files, diff) => fixes.rebaseFix(db, project, fixId, files, diff),
    supersedePendingFixes: (project, files) => fixes.supersedePendingFixes(db, project, files),
    getFix: (project, fixId) => fixes.getFix(db, project, fixId),
    fixFiles: (fixId) => fixes.fixFiles(db, fixId),
    listFixes: (project, statuses) => fixes.listFixes(db, project, statuses),
    setFixStatus: (project, fixId, status, reason, actor) => fixes.setFixStatus(db, project, fixId, status, reason, actor),
  };
}
