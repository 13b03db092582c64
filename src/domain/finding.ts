import type { CodeRole } from './code-role.js';
import type { Category, Severity } from './severity.js';

/** Languages the engine can parse. */
export const LANGUAGES = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'] as const;
export type Language = (typeof LANGUAGES)[number];
/** What a crawled file is: a parsed language, or a text file (config, docs) scanned for secrets only. */
export type FileLanguage = Language | 'text';

/** A span in a file's decoded text. Lines and columns are 0-based; offsets are UTF-16 code units. */
export interface SourceRange {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly startOffset: number;
  readonly endOffset: number;
}

/** One replacement in one file: the text between `start` and `end` (UTF-16 offsets) becomes `text`. */
export interface Edit {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type FixSafety = 'safe' | 'unsafe';

/**
 * A line a fix needs in another file of the project, which is created when missing (issue 14: a fix's
 * second file): `STRIPE_SECRET_KEY=` in `.env.example` when a hard-coded key now comes from the
 * environment. It is made into an edit when the fix is decided, against that file as it is then, so two
 * fixes of one crawl that add lines to the same file do not collide.
 */
export interface CompanionLine {
  /** Project-relative POSIX path. */
  readonly file: string;
  /** The line, without its line break. */
  readonly line: string;
  /** The file has the line already when one of its lines starts with this (`STRIPE_SECRET_KEY=`). */
  readonly presentWhen: string;
}

/** A fix the rule itself proposes (from its template), computed while the AST is at hand. */
export interface TemplateFix {
  readonly edits: readonly Edit[];
  readonly safety: FixSafety;
  /**
   * The rule template the edits came from; null for edits an external analyzer supplied (ESLint, SARIF), which
   * are no template: an approved one must never become a pattern's reusable best fix.
   */
  readonly template: string | null;
  /** Lines the fix adds to other files of the project (see CompanionLine). */
  readonly companions?: readonly CompanionLine[];
}

/** One place on a taint path: what it is (`req.query.id`, a variable name) and where (0-based). */
export interface TraceStep {
  readonly label: string;
  readonly line: number;
  readonly column: number;
  /** Project-relative path when the step is in another file than the finding (a flow across modules). */
  readonly file?: string;
}

/** How untrusted data reaches a sink: where it enters, then each variable it passes through, in order. */
export interface FindingTrace {
  readonly source: TraceStep;
  readonly steps: readonly TraceStep[];
  /**
   * True when no remote sender's data reaches the sink, only the command line or environment of
   * whoever runs the program (process.argv, process.env): operator input, not an attacker's.
   */
  readonly local?: boolean;
}

/** One detected issue at one place. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly cwe: number | null;
  readonly message: string;
  /** Project-relative POSIX path. */
  readonly file: string;
  readonly language: FileLanguage;
  readonly range: SourceRange;
  /** The matched source text, trimmed to a sensible length for display. */
  readonly snippet: string;
  /** Stable identity of this issue in this file across crawls (survives moved lines). */
  readonly fingerprint: string;
  /** Identity of the shape of the problem across files and projects (for learning). */
  readonly patternFingerprint: string;
  /** Normalised shape of the match (identifiers and literals abstracted). */
  readonly shape: string;
  /** Metavariable bindings of the match, so stored templates can be instantiated again. */
  readonly bindings: Readonly<Record<string, string>>;
  readonly templateFix: TemplateFix | null;
  /**
   * Engines that reported this defect (`roach`, `eslint`, `oxlint`, `ts`, a SARIF tool's name), set when an
   * analyzer adapter reported it; several when duplicates from different engines were merged into one.
   */
  readonly engines?: readonly string[];
  /** For taint rules: the path from the untrusted source to the sink. */
  readonly trace?: FindingTrace;
  /** Set when the file is test, fixture, example or benchmark code and the rule's `inTests` policy kept the finding. */
  readonly codeRole?: CodeRole;
}
