import type { GeneratedFixStore } from '../fixes/ports.js';
import type { Finding, SourceRange } from '../domain/finding.js';
import type { ConventionCounts } from '../domain/conventions.js';
import type { ModuleFacts } from '../domain/module-facts.js';
import type { Severity } from '../domain/severity.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { LearningStore } from '../learning/ports.js';

/** An open issue as reports show it: a finding's identity and place, and whether its rule has a fix. */
export type ReportedIssue = Pick<Finding, 'ruleId' | 'severity' | 'category' | 'cwe' | 'message' | 'file' | 'snippet' | 'fingerprint' | 'patternFingerprint' | 'trace' | 'engines' | 'codeRole'> & {
  /** 0-based lines and columns, as in findings. */
  readonly range: Pick<SourceRange, 'startLine' | 'startColumn' | 'endLine' | 'endColumn'>;
  readonly fixable: boolean;
  /** With --baseline: whether the issue already existed at the baseline commit. */
  readonly baselineState?: 'new' | 'existing';
};

/** What the crawl remembers of a file to skip it next time. */
export interface FileState {
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly sha256: string;
  readonly language: string | null;
  /** Convention rules' counts in the file at its last analysis (see decisions.ts); absent: none. */
  readonly conventionCounts?: ConventionCounts;
  /** The project decisions (rules turned off) the file's findings were filtered with; a change re-analyzes it. */
  readonly decisions?: string;
  /** JavaScript/TypeScript: what the file tells other modules about data flow at its last analysis. */
  readonly moduleFacts?: ModuleFacts;
  /** Key of the flows from other modules joined into this file's issues (see engine/module-join.ts); absent: none. */
  readonly moduleFlows?: string;
}

export interface FileHealthRecord {
  readonly filePath: string;
  readonly healthScore: number;
  readonly issueCount: number;
}

export interface CrawlSummaryStats {
  readonly [key: string]: unknown;
}

/**
 * Everything a crawl needs from storage: its own records plus what its fix and learning phases need.
 * `store/` implements it; `main/` wires it.
 */
export interface PipelineStore extends LearningStore, GeneratedFixStore {
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
  recordPatternOccurrences(project: ProjectRef, findings: readonly Finding[]): Promise<void>;
  recordFileHealth(project: ProjectRef, crawlId: string, records: readonly FileHealthRecord[]): Promise<void>;
  recordAnalytics(project: ProjectRef, crawlId: string, metricType: string, value: unknown): Promise<void>;
}
