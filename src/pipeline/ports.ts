import type { Edit, Finding } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { StrategyName } from '../domain/confidence.js';
import type { ReliabilityTable } from '../domain/calibration.js';
import type { FixOutcomeKind } from '../domain/pattern-learning.js';
import type { ReportedIssue } from './crawl-report.js';

/** What the crawl remembers of a file to skip it next time. */
export interface FileState {
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly sha256: string;
  readonly language: string | null;
}

export interface ProjectRef {
  readonly organizationId: string;
  readonly projectId: string;
}

export type FixStatus =
  | 'pending'
  | 'applying'
  | 'applied'
  | 'rejected'
  | 'rolled_back'
  | 'failed_validation'
  | 'failed_apply'
  | 'superseded';

/** One recorded validation step: what ran, whether it passed, and what it said. */
export interface ValidationStep {
  readonly step: 'reparse' | 'reanalyze' | 'check';
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
  readonly durationMs: number;
}

export interface FixFileRecord {
  readonly path: string;
  readonly originalBytes: Uint8Array;
  readonly originalSha256: string;
  readonly fixedSha256: string;
}

/** A stored fix moved onto newer file contents before it is applied (see fix-actions). */
export interface RebasedFile {
  readonly path: string;
  readonly edits: readonly Edit[];
  readonly originalBytes: Uint8Array;
  readonly originalSha256: string;
  readonly fixedSha256: string;
}

export interface NewFix {
  readonly issueId: string;
  readonly crawlId: string | null;
  readonly ruleId: string;
  readonly patternFingerprint: string;
  readonly strategy: StrategyName;
  readonly safety: 'safe' | 'unsafe';
  readonly edits: readonly Edit[];
  /** The template the edits came from (rule or learned), so an approved fix can be reused. */
  readonly template: string | null;
  readonly diff: string;
  readonly confidence: number;
  readonly validation: readonly ValidationStep[];
  readonly status: FixStatus;
  readonly statusReason: string | null;
  readonly files: readonly FixFileRecord[];
}

export interface StoredFix extends Omit<NewFix, 'files'> {
  readonly id: string;
  readonly filePaths: readonly string[];
  readonly issueFingerprint: string;
  readonly filePath: string;
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
  readonly createdAt: string;
  readonly decidedBy: string | null;
}

export interface StoredIssue {
  readonly id: string;
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly filePath: string;
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
  readonly status: 'open' | 'resolved';
  readonly reviewStatus: 'none' | 'pending' | 'approved' | 'rejected';
}

/**
 * A pattern as one project's decisions see it: from the organization's pool when the project shares
 * its learning, else from the project's own outcomes (see migration 0005).
 */
export interface PatternStats {
  readonly fingerprint: string;
  /** Outcomes in scope, counted. */
  readonly successes: number;
  readonly failures: number;
  /** The same, each weighted by recency (what the posterior uses). */
  readonly weightedSuccesses: number;
  readonly weightedFailures: number;
  readonly deprecated: boolean;
  /** A reusable fix learned for this pattern: a template over the rule's metavariables. */
  readonly bestFix: { readonly template: string; readonly safety: 'safe' | 'unsafe'; readonly match?: string } | null;
}

/**
 * A fix template learned from human fixes (see engine/learn). `pattern` is matched at the finding's
 * node to bind the metavariables that `rewrite` uses; neither holds source beyond what all examples share.
 */
export interface NewLearnedTemplate {
  readonly patternFingerprint: string;
  readonly ruleId: string;
  readonly shape: string;
  readonly language: string;
  readonly pattern: string;
  readonly rewrite: string;
  readonly metavariables: readonly string[];
  readonly exampleCount: number;
  readonly source: 'review' | 'history';
}

/** A stored learned template with the record of the fixes it produced (pattern-reuse fixes with its rewrite). */
export interface StoredLearnedTemplate extends NewLearnedTemplate {
  readonly id: string;
  /** The project whose fixes taught it (null: learned before templates were kept per project). */
  readonly projectId: string | null;
  readonly successes: number;
  readonly failures: number;
}

/** How a fix ended; the store copies the fix's pattern, strategy, rule and confidence beside it. */
export interface FixOutcome {
  readonly fixId: string;
  readonly kind: FixOutcomeKind;
  /** Which validation step failed, why it was rejected, what the follow-up saw. */
  readonly detail: string | null;
}

/** An applied fix's file as it was written, for noticing later that the fix was undone or edited. */
export interface AppliedFixFile {
  readonly fixId: string;
  readonly path: string;
  readonly edits: readonly Edit[];
  readonly originalBytes: Uint8Array;
  readonly fixedSha256: string;
}

/** One pattern in `roach stats`: counts in scope and the pattern's own lower credible bound. */
export interface PatternLine {
  readonly fingerprint: string;
  readonly ruleId: string;
  /** Times the organization's crawls have seen the pattern (all projects). */
  readonly occurrences: number;
  readonly successes: number;
  readonly failures: number;
  readonly lowerBound: number;
  readonly deprecated: boolean;
}

/** What a project has learned, in its scope (the organization's pool when it shares, else its own). */
export interface LearningReport {
  readonly scope: 'organization' | 'project';
  readonly patterns: { readonly known: number; readonly withOutcomes: number; readonly deprecated: number };
  readonly top: readonly PatternLine[];
  readonly deprecated: readonly PatternLine[];
  readonly outcomes: readonly { readonly strategy: string; readonly outcome: string; readonly count: number }[];
  readonly calibration: readonly ReliabilityTable[];
  readonly history: readonly { readonly fingerprint: string; readonly event: string; readonly detail: string; readonly at: string }[];
}

export interface FileHealthRecord {
  readonly filePath: string;
  readonly healthScore: number;
  readonly issueCount: number;
}

export interface CrawlSummaryStats {
  readonly [key: string]: unknown;
}

/** Everything the pipeline needs from storage. `store/` implements it; `main/` wires it. */
export interface PipelineStore {
  ensureProject(rootPath: string, name: string): Promise<ProjectRef>;
  startCrawl(project: ProjectRef, options: Record<string, unknown>): Promise<string>;
  finishCrawl(project: ProjectRef, crawlId: string, stats: CrawlSummaryStats): Promise<void>;
  failCrawl(project: ProjectRef, crawlId: string, error: string): Promise<void>;

  fileStates(project: ProjectRef): Promise<Map<string, FileState>>;
  saveFileStates(project: ProjectRef, crawlId: string, states: readonly FileState[]): Promise<void>;
  forgetFiles(project: ProjectRef, paths: readonly string[]): Promise<void>;

  /** Inserts new issues and refreshes seen ones; returns issue id by fingerprint. */
  upsertIssues(project: ProjectRef, crawlId: string, findings: readonly Finding[]): Promise<Map<string, string>>;
  /** Open issues of these files that were not seen in this crawl become resolved. Returns how many. */
  resolveMissingIssues(project: ProjectRef, crawlId: string, analyzedFiles: readonly string[]): Promise<number>;
  /** Every open issue of the project, worst first, for reports. `fixable` is left to the caller. */
  openIssues(project: ProjectRef): Promise<Omit<ReportedIssue, 'fixable'>[]>;
  /** Open issues per file, counted per severity. */
  openIssueCounts(project: ProjectRef): Promise<Map<string, Partial<Record<Severity, number>>>>;

  patternStats(project: ProjectRef, fingerprints: readonly string[]): Promise<Map<string, PatternStats>>;
  recordPatternOccurrences(project: ProjectRef, findings: readonly Finding[]): Promise<void>;
  /** Records (or replaces) fixes' outcomes in order, in one transaction; updates their patterns and may deprecate them. */
  recordFixOutcomes(project: ProjectRef, outcomes: readonly FixOutcome[]): Promise<void>;
  /** Un-deprecates a pattern in the project's scope (a human approved one of its fixes). True if it was deprecated. */
  restorePattern(project: ProjectRef, fingerprint: string, actor: string, reason: string): Promise<boolean>;
  /** Reliability tables per strategy from the decided fixes in the project's scope. */
  calibration(project: ProjectRef): Promise<ReliabilityTable[]>;
  /** Sets whether the project shares what it learns with the organization's other sharing projects. */
  setPatternSharing(project: ProjectRef, share: boolean): Promise<void>;
  /** Applied fixes on these files whose outcome is still 'verified' (or unrecorded): checked for reverts. */
  appliedFixFiles(project: ProjectRef, paths: readonly string[]): Promise<AppliedFixFile[]>;
  /** Patterns, outcomes per strategy, calibration and recent pattern history, for `roach stats`. */
  learningReport(project: ProjectRef, limit: number): Promise<LearningReport>;
  setPatternBestFix(project: ProjectRef, fingerprint: string, bestFix: { template: string; safety: 'safe' | 'unsafe' }): Promise<void>;

  /** Stores learned templates (a template learned again keeps the larger example count). */
  saveLearnedTemplates(project: ProjectRef, templates: readonly NewLearnedTemplate[]): Promise<void>;
  /** Learned templates of these patterns (all of the organization's when omitted), with their records. */
  learnedTemplates(project: ProjectRef, fingerprints?: readonly string[]): Promise<StoredLearnedTemplate[]>;
  /** Makes a learned template the pattern's best fix, creating the pattern row if it was never crawled. */
  promoteLearnedTemplate(project: ProjectRef, template: StoredLearnedTemplate): Promise<void>;
  /** Commits whose history `roach learn --from-history` already mined. */
  minedCommits(project: ProjectRef): Promise<Set<string>>;
  recordMinedCommits(project: ProjectRef, commits: readonly { sha: string; examples: number }[]): Promise<void>;
  /** Mined commits that fixed findings, newest first: re-read from git when new examples need partners. */
  commitsWithExamples(project: ProjectRef, limit: number): Promise<string[]>;

  /** Issues that already have a pending, rejected or failed fix: a re-crawl proposes nothing new for them. */
  issuesHavingFixes(project: ProjectRef): Promise<Set<string>>;
  insertFix(project: ProjectRef, fix: NewFix): Promise<string>;
  /** Many fixes in a few statements; ids come back in input order. */
  insertFixes(project: ProjectRef, fixes: readonly NewFix[]): Promise<string[]>;
  /** Replaces a pending fix's edits, diff and per-file bytes after it was rebased onto newer contents. */
  rebaseFix(project: ProjectRef, fixId: string, files: readonly RebasedFile[], diff: string): Promise<void>;
  /** Pending fixes of these files made against other contents than `sha256` become superseded. */
  supersedePendingFixes(project: ProjectRef, files: readonly { path: string; sha256: string }[]): Promise<number>;
  getFix(project: ProjectRef, fixId: string): Promise<StoredFix | null>;
  fixFiles(project: ProjectRef, fixId: string): Promise<FixFileRecord[]>;
  listFixes(project: ProjectRef, statuses: readonly FixStatus[]): Promise<StoredFix[]>;
  setFixStatus(project: ProjectRef, fixId: string, status: FixStatus, reason: string | null, actor: string | null): Promise<void>;
  markIssueFixed(project: ProjectRef, issueId: string, applied: boolean, reviewStatus: StoredIssue['reviewStatus']): Promise<void>;
  /** These issues have a fix waiting for review. */
  markIssuesPending(project: ProjectRef, issueIds: readonly string[]): Promise<void>;

  recordFileHealth(project: ProjectRef, crawlId: string, records: readonly FileHealthRecord[]): Promise<void>;
  recordAnalytics(project: ProjectRef, crawlId: string, metricType: string, value: unknown): Promise<void>;
}
