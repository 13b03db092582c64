import type { Edit } from '../domain/finding.js';
import type { ReliabilityTable } from '../domain/calibration.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { FixStore, NewLearnedTemplate, StoredLearnedTemplate } from '../fixes/ports.js';

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

/** What learning (outcomes, templates, history mining, stats) needs from storage beyond the fix store. */
export interface LearningStore extends FixStore {
  /** Sets whether the project shares what it learns with the organization's other sharing projects. */
  setPatternSharing(project: ProjectRef, share: boolean): Promise<void>;
  /** Applied fixes on these files whose outcome is still 'verified' (or unrecorded): checked for reverts. */
  appliedFixFiles(project: ProjectRef, paths: readonly string[]): Promise<AppliedFixFile[]>;
  /** Patterns, outcomes per strategy, calibration and recent pattern history, for `roach stats`. */
  learningReport(project: ProjectRef, limit: number): Promise<LearningReport>;
  /** Stores learned templates (a template learned again keeps the larger example count). */
  saveLearnedTemplates(project: ProjectRef, templates: readonly NewLearnedTemplate[]): Promise<void>;
  /** Makes a learned template the pattern's best fix, creating the pattern row if it was never crawled. */
  promoteLearnedTemplate(project: ProjectRef, template: StoredLearnedTemplate): Promise<void>;
  /** Commits whose history `roach learn --from-history` already mined. */
  minedCommits(project: ProjectRef): Promise<Set<string>>;
  recordMinedCommits(project: ProjectRef, commits: readonly { sha: string; examples: number }[]): Promise<void>;
  /** Mined commits that fixed findings, newest first: re-read from git when new examples need partners. */
  commitsWithExamples(project: ProjectRef, limit: number): Promise<string[]>;
}
