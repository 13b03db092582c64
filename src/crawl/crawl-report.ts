import type { LlmStats } from '../fixes/llm-strategy.js';
import type { ConventionNote, EslintConfigDecision } from './decisions.js';
import type { RuleProblem } from '../engine/rules.js';
import type { AdapterStatus } from '../adapters/ports.js';
import type { Category, Severity } from '../domain/severity.js';
import type { SkippedFile } from './walk.js';
import type { GrammarGap } from '../engine/grammar-gap.js';
import type { ReportedIssue } from './ports.js';
import type { FixSummary } from '../fixes/fix-summary.js';
import type { TargetSummary } from './project-target.js';

/** Declared in ports.ts (the store returns it); exported here too for reporters. */
export type { ReportedIssue } from './ports.js';

/** Declared in fixes/ (the fix phase builds them); exported here too for reporters. */
export type { FixDecision, FixSummary } from '../fixes/fix-summary.js';

export interface FileHealthSummary {
  readonly file: string;
  readonly healthScore: number;
  readonly issueCount: number;
}

/** Everything a crawl tells its user; reporters (terminal, JSON, SARIF) only format this. */
export interface CrawlReport {
  readonly crawlId: string;
  readonly root: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly files: {
    readonly walked: number;
    readonly analyzed: number;
    readonly unchanged: number;
    readonly skipped: readonly SkippedFile[];
    readonly removed: number;
  };
  /** Every open issue of the project after this crawl, from changed and unchanged files alike. */
  readonly findings: readonly ReportedIssue[];
  /** Findings produced by the files analyzed in this crawl (unchanged files were not re-analyzed). */
  readonly newlyAnalyzedFindings: number;
  readonly openIssues: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byCategory: Readonly<Record<Category, number>>;
  };
  readonly resolvedIssues: number;
  readonly fixes: readonly FixSummary[];
  /** Findings with no fix from any strategy. */
  readonly fixesDeclined: number;
  /** With generated fixes on (ROACH_LLM_PROVIDER): what this crawl's calls did and cost. */
  readonly llm?: LlmStats;
  readonly worstFiles: readonly FileHealthSummary[];
  /** Rule metadata for every rule that produced a finding (SARIF needs it). */
  readonly rules: readonly RuleMetadata[];
  /** With --baseline: the commit compared against and the open issues that are new since it. */
  readonly baseline?: { readonly ref: string; readonly commit: string; readonly newIssues: CrawlReport['openIssues'] };
  /** With analyzer adapters configured: what each one did in this crawl (ran, skipped, or its error). */
  readonly adapters?: readonly AdapterStatus[];
  /**
   * With validation commands configured: whether they ran on the host (embedded CLI), in the
   * sandbox (service mode, enabled for the project), or were skipped, and why.
   */
  readonly validationCommands?: { readonly names: readonly string[]; readonly mode: 'host' | 'sandbox' | 'skipped'; readonly reason: string | null };
  /** Problems that changed what was crawled, e.g. a `.gitignore` that could not be read (file and message). */
  readonly warnings?: readonly { readonly path: string; readonly message: string }[];
  /** Custom rule files that were skipped because they are malformed (file and reason). */
  readonly ruleProblems?: readonly RuleProblem[];
  /**
   * Files of this crawl that the grammar could not parse completely but that the language's own parser
   * accepts (TypeScript compiler, python3, gofmt): no `parse-error` finding; rules ran on the parts that parsed.
   */
  readonly grammarGaps?: readonly GrammarGap[];
  /** The project's decisions that turned rules off: its ESLint configuration, its conventions (issue 13 point 3). */
  readonly decisions?: { readonly eslintConfig: EslintConfigDecision | null; readonly conventions: readonly ConventionNote[] };
  /** The project's ECMAScript target, where it was found, and the rules and fixes it left out. */
  readonly target?: TargetSummary;
}

export interface RuleMetadata {
  readonly id: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly cwe: number | null;
  readonly message: string;
  readonly rationale: string;
  readonly hasFix: boolean;
}
