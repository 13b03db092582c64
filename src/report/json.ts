import { hitRateOf } from '../fixes/llm-strategy.js';
import type { Category, Severity } from '../domain/severity.js';
import type { TraceStep } from '../domain/finding.js';
import type { CodeRole } from '../domain/code-role.js';
import type { CrawlReport, FixSummary, ReportedIssue } from '../crawl/crawl-report.js';
import type { SkipReason } from '../crawl/walk.js';
import type { GrammarGap } from '../crawl/grammar-gaps.js';
import type { TargetSummary } from '../crawl/project-target.js';

/**
 * The JSON report, version 1. Scripts and CI read this, so fields are only ever added within a version;
 * renaming, removing or changing the meaning of one bumps `schemaVersion`.
 */
export interface JsonReport {
  readonly schemaVersion: 1;
  readonly crawlId: string;
  /** Absolute path of the crawled tree; every `file` below is relative to it. */
  readonly root: string;
  /** ISO 8601 timestamp. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly files: {
    readonly walked: number;
    readonly analyzed: number;
    readonly unchanged: number;
    readonly removed: number;
    readonly skipped: readonly { readonly path: string; readonly reason: SkipReason; readonly detail: string }[];
  };
  readonly openIssues: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byCategory: Readonly<Record<Category, number>>;
  };
  readonly resolvedIssues: number;
  /** Open findings in the files this crawl analyzed (unchanged files are not re-reported). */
  readonly findings: readonly JsonFinding[];
  readonly fixes: readonly JsonFix[];
  /** Findings for which no strategy produced a fix. */
  readonly fixesDeclined: number;
  /** With generated fixes on: the model, its calls (asked, from kept answers, failed), tokens and cost in USD. */
  /** `hitRate`: the share of prompts answered from kept answers (null when none was needed). */
  readonly llm?: NonNullable<CrawlReport['llm']> & { readonly hitRate: number | null };
  readonly worstFiles: readonly { readonly file: string; readonly healthScore: number; readonly issueCount: number }[];
  /** With --baseline only: the commit compared against and the open issues new since it. */
  readonly baseline?: { readonly ref: string; readonly commit: string; readonly newIssues: JsonReport['openIssues'] };
  /** With analyzer adapters configured: each one's outcome in this crawl. */
  readonly adapters?: readonly { readonly adapter: string; readonly status: 'ran' | 'skipped' | 'failed'; readonly findings: number; readonly durationMs: number; readonly detail: string }[];
  /** Custom rule files skipped because they are malformed: the file and what is wrong with it. */
  readonly ruleProblems?: readonly { readonly file: string; readonly message: string }[];
  /** Problems that changed what was crawled, e.g. an unreadable `.gitignore`. */
  readonly warnings?: readonly { readonly path: string; readonly message: string }[];
  /** With validation commands configured: how they ran (host, sandbox) or why they were skipped. */
  readonly validationCommands?: { readonly names: readonly string[]; readonly mode: 'host' | 'sandbox' | 'skipped'; readonly reason: string | null };
  /** Files analyzed in this crawl that our grammar parsed only in part but the language's own parser accepts: no parse-error finding. */
  readonly grammarGaps?: readonly GrammarGap[];
  /**
   * The project's decisions that turned rules off (docs/project-decisions.md): the ESLint configuration read, with
   * the built-in rules it turned off, and one convention note per style rule its practice contradicts.
   */
  readonly decisions?: CrawlReport['decisions'];
  /**
   * The project's ECMAScript target (`ES2018`, null: unknown), where it was found, every declaration,
   * and the rules left out, fixes withheld and fixes given in an older form because of it.
   */
  readonly target?: TargetSummary;
}

export interface JsonTraceStep {
  readonly label: string;
  readonly line: number;
  readonly column: number;
  /** Set when the step is in another file than the finding (a flow across modules). */
  readonly file?: string;
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly cwe: number | null;
  readonly message: string;
  /** Relative POSIX path. */
  readonly file: string;
  /** 1-based, like editors and SARIF. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** 1-based line of the end of the match. */
  readonly endLine: number;
  /** 1-based column just past the last character of the match (exclusive, as in SARIF). */
  readonly endColumn: number;
  readonly snippet: string;
  /** Stable identity of this issue in this file across crawls. */
  readonly fingerprint: string;
  /** Identity of the problem's shape across files and projects. */
  readonly patternFingerprint: string;
  /** True when the rule itself proposes a fix for this match. */
  readonly fixable: boolean;
  /** Taint rules: where the untrusted data enters and each variable it passes (1-based lines and columns). */
  readonly trace?: { readonly source: JsonTraceStep; readonly steps: readonly JsonTraceStep[] };
  /** With --baseline only: whether the issue existed at the baseline commit. */
  readonly baselineState?: 'new' | 'existing';
  /** When an analyzer adapter reported it: every engine that did (several when duplicates were merged). */
  readonly engines?: readonly string[];
  /** When the file is test, fixture, example or benchmark code: which (the rule's `inTests` policy kept the finding). */
  readonly codeRole?: CodeRole;
}

/** Fix summaries are published as the pipeline records them (1-based line); tests pin the shape. */
export type JsonFix = FixSummary;

function jsonStep(step: TraceStep): JsonTraceStep {
  return { label: step.label, line: step.line + 1, column: step.column + 1, ...(step.file ? { file: step.file } : {}) };
}

/** Engine ranges are 0-based; every consumer of this file (editors, CI annotations) counts from 1. */
type EslintConfigJson = NonNullable<NonNullable<CrawlReport['decisions']>['eslintConfig']>;

/** The linter configurations read, as plain data (sub-folder ones only when there are any). */
function eslintConfigJson(config: EslintConfigJson): EslintConfigJson {
  const rulesOff = (entries: EslintConfigJson['rulesOff']) => entries.map(({ rule, eslintRule }) => ({ rule, eslintRule }));
  return {
    file: config.file,
    rulesOff: rulesOff(config.rulesOff),
    ...(config.scoped ? { scoped: config.scoped.map(({ folder, file, rulesOff: off }) => ({ folder, file, rulesOff: rulesOff(off) })) } : {}),
  };
}

function toJsonFinding(finding: ReportedIssue): JsonFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    category: finding.category,
    cwe: finding.cwe,
    message: finding.message,
    file: finding.file,
    line: finding.range.startLine + 1,
    column: finding.range.startColumn + 1,
    endLine: finding.range.endLine + 1,
    endColumn: finding.range.endColumn + 1,
    snippet: finding.snippet,
    fingerprint: finding.fingerprint,
    patternFingerprint: finding.patternFingerprint,
    fixable: finding.fixable,
    ...(finding.trace ? { trace: { source: jsonStep(finding.trace.source), steps: finding.trace.steps.map(jsonStep) } } : {}),
    ...(finding.baselineState ? { baselineState: finding.baselineState } : {}),
    ...(finding.engines && finding.engines.length > 0 ? { engines: [...finding.engines] } : {}),
    ...(finding.codeRole ? { codeRole: finding.codeRole } : {}),
  };
}

/**
 * Builds the version-1 JSON object field by field (never by spreading the report) so that internals added to
 * `CrawlReport` or `ReportedIssue` later, such as bindings or template fixes, cannot leak into a published format.
 */
export function toJsonReport(report: CrawlReport): JsonReport {
  const { files, openIssues } = report;
  return {
    schemaVersion: 1,
    crawlId: report.crawlId,
    root: report.root,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    files: {
      walked: files.walked,
      analyzed: files.analyzed,
      unchanged: files.unchanged,
      removed: files.removed,
      skipped: files.skipped.map(({ path, reason, detail }) => ({ path, reason, detail })),
    },
    openIssues: {
      total: openIssues.total,
      bySeverity: { ...openIssues.bySeverity },
      byCategory: { ...openIssues.byCategory },
    },
    resolvedIssues: report.resolvedIssues,
    findings: report.findings.map(toJsonFinding),
    fixes: report.fixes.map((fix) => ({
      fixId: fix.fixId,
      ruleId: fix.ruleId,
      file: fix.file,
      line: fix.line,
      strategy: fix.strategy,
      safety: fix.safety,
      confidence: fix.confidence,
      decision: fix.decision,
      reason: fix.reason,
      ...(fix.tests ? { tests: { linesRan: fix.tests.linesRan, detail: fix.tests.detail } } : {}),
      ...(fix.explanation ? { explanation: fix.explanation } : {}),
      ...(fix.generationCostUsd !== undefined ? { generationCostUsd: fix.generationCostUsd } : {}),
    })),
    fixesDeclined: report.fixesDeclined,
    ...(report.llm ? { llm: { ...report.llm, hitRate: hitRateOf(report.llm) } } : {}),
    worstFiles: report.worstFiles.map(({ file, healthScore, issueCount }) => ({ file, healthScore, issueCount })),
    ...(report.adapters ? { adapters: report.adapters.map(({ adapter, status, findings, durationMs, detail }) => ({ adapter, status, findings, durationMs, detail })) } : {}),
    ...(report.ruleProblems ? { ruleProblems: report.ruleProblems.map(({ file, message }) => ({ file, message })) } : {}),
    ...(report.warnings ? { warnings: report.warnings.map(({ path, message }) => ({ path, message })) } : {}),
    ...(report.target
      ? {
          target: {
            edition: report.target.edition,
            source: report.target.source,
            declared: report.target.declared.map(({ edition, source }) => ({ edition, source })),
            rulesLeftOut: [...report.target.rulesLeftOut],
            fixesWithheld: [...report.target.fixesWithheld],
            fixesInOlderForm: [...report.target.fixesInOlderForm],
          },
        }
      : {}),
    ...(report.validationCommands ? { validationCommands: { names: [...report.validationCommands.names], mode: report.validationCommands.mode, reason: report.validationCommands.reason } } : {}),
    ...(report.decisions
      ? {
          decisions: {
            eslintConfig: report.decisions.eslintConfig ? eslintConfigJson(report.decisions.eslintConfig) : null,
            conventions: report.decisions.conventions.map(({ rule, violating, conforming, message }) => ({ rule, violating, conforming, message })),
          },
        }
      : {}),
    ...(report.baseline
      ? {
          baseline: {
            ref: report.baseline.ref,
            commit: report.baseline.commit,
            newIssues: { total: report.baseline.newIssues.total, bySeverity: { ...report.baseline.newIssues.bySeverity }, byCategory: { ...report.baseline.newIssues.byCategory } },
          },
        }
      : {}),
    ...(report.grammarGaps ? { grammarGaps: report.grammarGaps.map(({ path, detail }) => ({ path, detail })) } : {}),
  };
}

/** Serialises the crawl for machines (`--format json`): the documented {@link JsonReport} shape, pretty-printed, newline-terminated. */
export function formatJson(report: CrawlReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
