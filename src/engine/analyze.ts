import path from 'node:path';
import { parse } from '@ast-grep/napi';
import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { ConventionCounts } from '../domain/conventions.js';
import type { Finding, Language } from '../domain/finding.js';
import { issueFingerprint, patternFingerprint } from '../domain/fingerprint.js';
import { asEntryPointFinding } from '../domain/operator-input.js';
import { astGrepLang } from './languages.js';
import { matchRules } from './combine.js';
import type { RuleMatch } from './combine.js';
import type { CompiledRule } from './compiled-rule.js';
import type { RuleSet } from './rules.js';
import { toRange, treeCensus } from './tree-census.js';
import { nodeShape, nodeTokens } from './shape.js';
import { commentLines, isCommentedChoice } from './commented-choice.js';
import { severityIn } from './lower-severity.js';
import type { CommentLines } from './commented-choice.js';
import { isSuppressed, SUPPRESSION_RULE, suppressionsOf } from './suppressions.js';
import { describeTrace, newFileCache, taintEntriesOf, taintTraceOf } from './taint/index.js';
import type { ModuleFacts, ModuleSink } from '../domain/module-facts.js';
import { moduleCallsOf } from './module-calls.js';
import { exportsAnything } from './taint/modules.js';
import type { FileCache } from './taint/index.js';
import { templateFixOf } from './fix-edits.js';
import { describeProblems, hasInThreadParser, inThreadGrammarGap } from './grammar-gap.js';

export const PARSE_ERROR_RULE = 'parse-error';
/** How a parse error's message ends: whether the other rules ran on the file (see analyzeParsed). */
export const RECOVERED_NOTE = 'rules ran on the recoverable parts only.';
export const BROKEN_NOTE = "the language's own parser agrees, so no other rule ran on the file.";
const SNIPPET_LIMIT = 200;

import type { SyntaxProblem } from './syntax-problem.js';
export type { SyntaxProblem } from './syntax-problem.js';


export interface AnalysisResult {
  readonly findings: Finding[];
  readonly syntaxProblems: SyntaxProblem[];
  /**
   * Set when the grammar had syntax problems but the language's own parser (the TypeScript compiler for
   * JavaScript/TypeScript) accepts the file: why no `parse-error` finding was reported.
   */
  readonly grammarGap?: string;
  /** Only rules with a `convention` section; empty when the language has none. */
  readonly conventionCounts: ConventionCounts;
  /** JavaScript and TypeScript: what flows to and from other modules (see domain/module-facts.ts). */
  readonly moduleFacts?: ModuleFacts;
}

/** Languages whose modules are joined across files by the taint rules. */
export const MODULE_LANGUAGES: ReadonlySet<string> = new Set<Language>(['javascript', 'typescript', 'tsx']);

/**
 * How often the file follows and breaks each convention rule, for the project-wide share (crawl/decisions.ts).
 * `conforming`: the census's count per convention rule.
 */
function conventionCountsOf(input: AnalyzeInput, findings: readonly Finding[], conforming: ReadonlyMap<CompiledRule, number>): ConventionCounts {
  const counts: Record<string, { violating: number; conforming: number }> = {};
  for (const rule of input.rules.forLanguage(input.language)) {
    if (!rule.definition.convention) continue;
    const id = rule.definition.id;
    counts[id] = { violating: findings.filter((finding) => finding.ruleId === id).length, conforming: conforming.get(rule) ?? 0 };
  }
  return counts;
}

/** Syntax problems in the tree (see treeCensus), in document order. */
export function syntaxProblems(root: SgRoot): SyntaxProblem[] {
  return treeCensus(root).problems;
}

/** Syntax problems of a text in a language, for "the fix adds no syntax error" checks. */
export function countSyntaxProblems(text: string, language: Language): number {
  return syntaxProblems(parse(astGrepLang(language), text)).length;
}

function snippetOf(text: string): string {
  return text.length > SNIPPET_LIMIT ? `${text.slice(0, SNIPPET_LIMIT)}…` : text;
}

function bindingsOf({ node, rule, prefix }: RuleMatch, source: string): Record<string, string> {
  const bindings: Record<string, string> = {};
  for (const name of rule.metavariables) {
    const single = node.getMatch(prefix + name);
    if (single) {
      bindings[name] = single.text();
      continue;
    }
    const multiple = node.getMultipleMatches(prefix + name);
    const first = multiple[0];
    const last = multiple[multiple.length - 1];
    if (first && last) bindings[`$$${name}`] = source.slice(first.range().start.index, last.range().end.index);
  }
  return bindings;
}

export interface AnalyzeInput {
  readonly text: string;
  /** Project-relative POSIX path, used in findings and fingerprints. */
  readonly file: string;
  readonly language: Language;
  readonly rules: RuleSet;
}

/** Runs every rule for the file's language over one parsed tree. Never throws on bad source. */
export function analyzeSource(input: AnalyzeInput): AnalysisResult {
  return analyzeParsed(parse(astGrepLang(input.language), input.text), input);
}

/**
 * The findings of a tree parsed from `input.text`. `combinedNodes`: the nodes a batch search with the
 * language's combined rule config found in it (see engine/batch.ts), so that search is not run again.
 */
export function analyzeParsed(root: SgRoot, input: AnalyzeInput, combinedNodes?: readonly SgNode[]): AnalysisResult {
  const census = treeCensus(root, input.rules.forLanguage(input.language));
  const problems = census.problems;
  const findings: Finding[] = [];
  const occurrences = new Map<string, number>();
  const addFinding = (partial: Omit<Finding, 'fingerprint'>, tokens: string): void => {
    const key = `${partial.ruleId}\0${tokens}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    findings.push({ ...partial, fingerprint: issueFingerprint(partial.ruleId, input.file, tokens, occurrence) });
  };

  const firstProblem = problems[0];
  // Valid code the grammar trails (e.g. `export type * from`) is a gap of ours, not a finding against the user.
  const grammarGap = firstProblem ? inThreadGrammarGap(input.text, input.file, input.language, problems) : null;
  // The language's own parser rejects it too: the file cannot run, so what rules say of the parts the grammar
  // recovered is moot (ESLint and oxlint report the parse error alone). Python/Go are confirmed later, by the crawl.
  const broken = firstProblem !== undefined && !grammarGap && hasInThreadParser(input.language);
  if (firstProblem && !grammarGap) {
    addFinding(
      {
        ruleId: PARSE_ERROR_RULE,
        // Low: Python, Go and Java files are only confirmed by their own parser later in the crawl (see
        // crawl/grammar-gaps.ts), so valid code can still land here; it should not fail a gate on its own.
        severity: 'low',
        category: 'bug',
        cwe: null,
        message: `File does not parse as ${input.language}: ${describeProblems(problems)}; ${broken ? BROKEN_NOTE : RECOVERED_NOTE}`,
        file: input.file,
        language: input.language,
        range: firstProblem.range,
        snippet: snippetOf(input.text.slice(firstProblem.range.startOffset, firstProblem.range.endOffset)),
        patternFingerprint: patternFingerprint(PARSE_ERROR_RULE, input.language),
        shape: input.language,
        bindings: {},
        templateFix: null,
      },
      `${problems.length}`,
    );
  }

  const modules = MODULE_LANGUAGES.has(input.language);
  if (broken) return { findings, syntaxProblems: problems, conventionCounts: {}, ...(modules ? { moduleFacts: { sinks: [], calls: [] } } : {}) };

  const ordered = matchRules(root, input.rules.matchPlan(input.language), combinedNodes);
  const suppressions = suppressionsOf(root, input.language, input.text, input.rules.otherToolSuppressions !== false);
  for (const suppression of suppressions) {
    if (suppression.tool !== 'roach' || suppression.reason) continue;
    // Still honoured, but a reviewer should be told why a finding is accepted.
    const { comment } = suppression;
    addFinding(
      {
        ruleId: SUPPRESSION_RULE,
        severity: 'low',
        category: 'maintainability',
        cwe: null,
        message: 'A roach-ignore comment without a reason: add " -- why" so reviewers know why the finding is accepted.',
        file: input.file,
        language: input.language,
        range: comment,
        snippet: snippetOf(comment.text),
        patternFingerprint: patternFingerprint(SUPPRESSION_RULE, 'roach-ignore'),
        shape: 'roach-ignore',
        bindings: {},
        templateFix: null,
      },
      comment.text,
    );
  }
  let taintCache: FileCache | undefined;
  let comments: CommentLines | undefined;
  // A #! script is run by whoever types its name: their own arguments and environment are not an attack.
  const shebang = root.root().children()[0]?.kind() === 'hash_bang_line';
  // Entries (exported parameters reaching a sink) only where something is exported, on a budget of their own.
  let entryCache: FileCache | null | undefined;
  const entryCacheOf = (): FileCache | null => (entryCache === undefined ? (entryCache = modules && exportsAnything(root.root()) ? newFileCache() : null) : entryCache);
  const moduleSinks: ModuleSink[] = [];
  for (const match of ordered) {
    const { rule, node } = match;
    if (suppressions.length > 0 && isSuppressed(suppressions, rule.definition, node.range().start.line)) continue;
    if (rule.definition.commentedChoice && isCommentedChoice(node, (comments ??= commentLines(root, input.language)))) continue;
    // A taint rule's match is only a sink: it is reported when untrusted data reaches it.
    const trace = rule.taint ? taintTraceOf(rule.taint, node, match.prefix, (taintCache ??= newFileCache())) : undefined;
    const { id, category, cwe } = rule.definition;
    const shape = nodeShape(node);
    const partialOf = (): Omit<Finding, 'fingerprint'> => ({
      ruleId: id,
      severity: severityIn(rule.definition, node),
      category,
      cwe: cwe ?? null,
      message: rule.definition.message,
      file: input.file,
      language: input.language,
      range: toRange(node),
      snippet: snippetOf(node.text()),
      patternFingerprint: patternFingerprint(id, shape),
      shape,
      bindings: bindingsOf(match, input.text),
      templateFix: templateFixOf(match, input.file, input.text, input.language, input.rules.fixStyle?.[path.posix.extname(input.file)]),
    });
    if (trace === null) {
      // No source here: maybe a parameter of an exported function, fed by another module (joined by the crawl).
      const cache = rule.taint ? entryCacheOf() : null;
      const entries = cache && rule.taint ? taintEntriesOf(rule.taint, node, match.prefix, cache) : [];
      // Its own fingerprint: the same sink may also be reported with a source of this file after an edit.
      const finding = entries.length > 0 ? { ...partialOf(), fingerprint: issueFingerprint(id, input.file, `${nodeTokens(node)}\u0000module`, 0) } : null;
      for (const entry of entries) if (finding) moduleSinks.push({ ...entry, ruleId: id, message: rule.definition.message, finding });
      continue;
    }
    const partial = partialOf();
    const message = trace ? `${rule.definition.message} ${describeTrace(trace)}` : rule.definition.message;
    const reported = trace && shebang ? asEntryPointFinding({ trace, severity: partial.severity, message }, 'shebang') : { severity: partial.severity, message };
    addFinding({ ...partial, severity: reported.severity, message: reported.message, ...(trace ? { trace } : {}) }, nodeTokens(node));
  }
  const calls = modules ? moduleCallsOf(root.root(), input.rules.forLanguage(input.language), input.language !== 'javascript') : [];
  // Present (if empty) for every module: a file state without facts was stored before they existed.
  const moduleFacts = modules ? { moduleFacts: { sinks: moduleSinks, calls } } : {};
  return { findings, syntaxProblems: problems, ...(grammarGap ? { grammarGap } : {}), conventionCounts: conventionCountsOf(input, findings, census.conforming), ...moduleFacts };
}
