import type { PipelineStore } from '../crawl/ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { SqlClient } from './sql.js';
import { withTenant } from './tenant.js';
import * as files from './repositories/files.js';
import * as fixes from './repositories/fixes.js';
import * as issues from './repositories/issues.js';
import * as learning from './repositories/learning.js';
import * as learningReport from './repositories/learning-report.js';
import * as llmCalls from './repositories/llm-calls.js';
import * as patterns from './repositories/patterns.js';
import * as projects from './repositories/projects.js';
import * as templates from './repositories/templates.js';

/**
 * The pipeline's storage port over any SqlClient (PGlite or PostgreSQL). Every call but
 * ensureProject runs as its project's organization (see withTenant), so row-level security stands
 * behind each repository's own project filter.
 */
export function createPipelineStore(db: SqlClient): PipelineStore {
  const as = <T>(project: ProjectRef, work: (tx: SqlClient) => Promise<T>): Promise<T> => withTenant(db, project.organizationId, work);
  return {
    ensureProject: (rootPath, name) => projects.ensureProject(db, rootPath, name),
    startCrawl: (project, options) => as(project, (tx) => projects.startCrawl(tx, project, options)),
    finishCrawl: (project, crawlId, stats) => as(project, (tx) => projects.finishCrawl(tx, crawlId, stats)),
    failCrawl: (project, crawlId, error) => as(project, (tx) => projects.failCrawl(tx, crawlId, error)),
    fileStates: (project) => as(project, (tx) => files.fileStates(tx, project)),
    saveFileStates: (project, crawlId, states) => as(project, (tx) => files.saveFileStates(tx, project, crawlId, states)),
    forgetFiles: (project, paths) => as(project, (tx) => files.forgetFiles(tx, project, paths)),
    recordFileHealth: (project, crawlId, records) => as(project, (tx) => files.recordFileHealth(tx, project, crawlId, records)),
    recordAnalytics: (project, crawlId, type, value) => as(project, (tx) => files.recordAnalytics(tx, project, crawlId, type, value)),
    upsertIssues: (project, crawlId, findings) => as(project, (tx) => issues.upsertIssues(tx, project, crawlId, findings)),
    resolveMissingIssues: (project, crawlId, analyzed) => as(project, (tx) => issues.resolveMissingIssues(tx, project, crawlId, analyzed)),
    openIssues: (project) => as(project, (tx) => issues.openIssues(tx, project)),
    openIssueCounts: (project) => as(project, (tx) => issues.openIssueCounts(tx, project)),
    markIssueFixed: (project, issueId, applied, review) => as(project, (tx) => issues.markIssueFixed(tx, project, issueId, applied, review)),
    markIssuesPending: (project, issueIds) => as(project, (tx) => issues.markIssuesPending(tx, project, issueIds)),
    patternStats: (project, fingerprints) => as(project, (tx) => learning.patternStats(tx, project, fingerprints)),
    recordPatternOccurrences: (project, findings) => as(project, (tx) => patterns.recordPatternOccurrences(tx, project, findings)),
    recordFixOutcomes: (project, outcomes) => as(project, (tx) => learning.recordFixOutcomes(tx, project, outcomes)),
    restorePattern: (project, fingerprint, actor, reason) => as(project, (tx) => learning.restorePattern(tx, project, fingerprint, actor, reason)),
    setPatternSharing: (project, share) => as(project, (tx) => learning.setPatternSharing(tx, project, share)),
    calibration: (project) => as(project, (tx) => learningReport.calibration(tx, project)),
    appliedFixFiles: (project, paths) => as(project, (tx) => learningReport.appliedFixFiles(tx, project, paths)),
    learningReport: (project, limit) => as(project, (tx) => learningReport.learningReport(tx, project, limit)),
    setPatternBestFix: (project, fingerprint, bestFix) => as(project, (tx) => patterns.setPatternBestFix(tx, project, fingerprint, bestFix)),
    saveLearnedTemplates: (project, list) => as(project, (tx) => templates.saveLearnedTemplates(tx, project, list)),
    learnedTemplates: (project, fingerprints) => as(project, (tx) => templates.learnedTemplates(tx, project, fingerprints)),
    promoteLearnedTemplate: (project, template) => as(project, (tx) => templates.promoteLearnedTemplate(tx, project, template)),
    minedCommits: (project) => as(project, (tx) => templates.minedCommits(tx, project)),
    recordMinedCommits: (project, commits) => as(project, (tx) => templates.recordMinedCommits(tx, project, commits)),
    commitsWithExamples: (project, limit) => as(project, (tx) => templates.commitsWithExamples(tx, project, limit)),
    issuesHavingFixes: (project) => as(project, (tx) => fixes.issuesHavingFixes(tx, project)),
    insertFix: (project, fix) => as(project, (tx) => fixes.insertFix(tx, project, fix)),
    insertFixes: (project, list) => as(project, (tx) => fixes.insertFixes(tx, project, list)),
    keptAnswer: (project, key) => as(project, (tx) => llmCalls.keptAnswer(tx, project, key)),
    recordLlmCall: (project, call, answer) => as(project, (tx) => llmCalls.recordLlmCall(tx, project, call, answer)),
    approvedFixDiffs: (project, fingerprint, limit) => as(project, (tx) => llmCalls.approvedFixDiffs(tx, project, fingerprint, limit)),
    rebaseFix: (project, fixId, files, diff) => as(project, (tx) => fixes.rebaseFix(tx, project, fixId, files, diff)),
    supersedePendingFixes: (project, files) => as(project, (tx) => fixes.supersedePendingFixes(tx, project, files)),
    getFix: (project, fixId) => as(project, (tx) => fixes.getFix(tx, project, fixId)),
    fixFiles: (project, fixId) => as(project, (tx) => fixes.fixFiles(tx, fixId)),
    listFixes: (project, statuses) => as(project, (tx) => fixes.listFixes(tx, project, statuses)),
    setFixStatus: (project, fixId, status, reason, actor) => as(project, (tx) => fixes.setFixStatus(tx, project, fixId, status, reason, actor)),
  };
}
