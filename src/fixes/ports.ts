import type { Edit } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { StrategyName } from '../domain/confidence.js';
import type { ReliabilityTable } from '../domain/calibration.js';
import type { FixOutcomeKind } from '../domain/pattern-learning.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { ValidationStep } from '../validation/ports.js';

export type FixStatus =
  | 'pending'
  | 'applying'
  | 'applied'
  | 'rejected'
  | 'rolled_back'
  | 'failed_validation'
  | 'failed_apply'
  | 'superseded';

/** Status reason of fixes a human approved as proposed; learning reads only approvals as human evidence. */
export const APPROVED_IN_REVIEW = 'approved in review';
/** Status reason of fixes a reviewer edited by hand and then approved (their version is the fix). */
export const EDITED_IN_REVIEW = 'edited and approved in review';

export interface FixFileRecord {
  readonly path: string;
  /** Empty for a file the fix creates. */
  readonly originalBytes: Uint8Array;
  readonly originalSha256: string;
  readonly fixedSha256: string;
  /** The file did not exist before the fix: applying creates it, rolling back deletes it. */
  readonly created?: boolean;
}

/** A stored fix moved onto newer file contents before it is applied (see fix-actions). */
export interface RebasedFile {
  readonly path: string;
  readonly edits: readonly Edit[];
  readonly originalBytes: Uint8Array;
  readonly originalSha256: string;
  readonly fixedSha256: string;
  /** Whether the file is still one the fix creates (a rebase onto a file that exists now makes it false). */
  readonly created?: boolean;
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
  /** For a reviewer, why the fix is right: a generated fix's own explanation; absent for template fixes. */
  readonly explanation?: string | null;
  /** A generated fix: what its call cost in USD (0: a kept answer; null: no price); absent for other fixes. */
  readonly generationCostUsd?: number | null;
}

export interface StoredFix extends Omit<NewFix, 'files' | 'explanation' | 'generationCostUsd'> {
  readonly generationCostUsd: number | null;
  readonly id: string;
  readonly explanation: string | null;
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

/** What fix planning, applying and rollback need from storage. `store/` implements it; `main/` wires it. */
export interface FixStore {
  patternStats(project: ProjectRef, fingerprints: readonly string[]): Promise<Map<string, PatternStats>>;
  /** Records (or replaces) fixes' outcomes in order, in one transaction; updates their patterns and may deprecate them. */
  recordFixOutcomes(project: ProjectRef, outcomes: readonly FixOutcome[]): Promise<void>;
  /** Un-deprecates a pattern in the project's scope (a human approved one of its fixes). True if it was deprecated. */
  restorePattern(project: ProjectRef, fingerprint: string, actor: string, reason: string): Promise<boolean>;
  /** Reliability tables per strategy from the decided fixes in the project's scope. */
  calibration(project: ProjectRef): Promise<ReliabilityTable[]>;
  setPatternBestFix(project: ProjectRef, fingerprint: string, bestFix: { template: string; safety: 'safe' | 'unsafe' }): Promise<void>;
  /** Learned templates of these patterns (all of the organization's when omitted), with their records. */
  learnedTemplates(project: ProjectRef, fingerprints?: readonly string[]): Promise<StoredLearnedTemplate[]>;
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
}

/** One request for a generated fix (issue 15): instructions and the finding with its code, as text. */
export interface FixRequest {
  readonly system: string;
  readonly prompt: string;
}

/** One edit of a model's answer: exact text of the file (`find`) and what replaces it. */
export interface AnsweredEdit {
  /** The file, when the model names one; only the finding's file may change. */
  readonly file?: string | null;
  readonly find: string;
  readonly replace: string;
}

/** A language model's answer: its edits, why, and what the call cost in tokens. */
export interface GeneratedFix {
  readonly edits: readonly AnsweredEdit[];
  readonly explanation: string;
  readonly usage: { readonly inputTokens: number | null; readonly outputTokens: number | null };
}

/** What the `llm` strategy needs from a model provider; integrations/llm implements it, main/ wires it. */
export interface FixGenerator {
  /** `openai-compatible:qwen2.5-coder`, for records and messages. */
  readonly label: string;
  readonly provider: string;
  readonly model: string;
  generate(request: FixRequest, signal?: AbortSignal): Promise<GeneratedFix>;
}

/** Which answer a prompt has: the provider, the model and the prompt's hash (system and user text). */
export interface PromptKey {
  readonly provider: string;
  readonly model: string;
  readonly promptSha256: string;
}

/** One call for a generated fix, as recorded: answered, answered from the kept answers, or failed. */
export interface LlmCallRecord extends PromptKey {
  readonly crawlId: string | null;
  readonly ruleId: string;
  readonly outcome: 'answered' | 'cached' | 'failed';
  readonly detail: string | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  readonly durationMs: number;
}

/** Where generated fixes' answers are kept and their calls recorded; `store/` implements it. */
export interface GeneratedFixStore {
  /** The answer kept for this prompt in the project's organization; null: none. */
  keptAnswer(project: ProjectRef, key: PromptKey): Promise<GeneratedFix | null>;
  /** Records a call; an answered one's answer is kept for the next identical prompt. */
  recordLlmCall(project: ProjectRef, call: LlmCallRecord, answer: GeneratedFix | null): Promise<void>;
  /** Diffs of the project's fixes of this pattern that a reviewer approved (as proposed or edited), newest first. */
  approvedFixDiffs(project: ProjectRef, patternFingerprint: string, limit: number): Promise<string[]>;
}

/** What generated fixes cost, in one scope: calls asked, answered from kept answers, failed, tokens and USD. */
export interface LlmSpend {
  readonly calls: number;
  readonly cached: number;
  readonly failed: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Calls whose price is unknown (a model not in the table, no token counts). */
  readonly unpriced: number;
}
