import type { ReliabilityTable } from '../domain/calibration.js';
import { calibrator } from '../domain/calibration.js';
import type { StrategyName } from '../domain/confidence.js';
import { fixConfidence } from '../domain/confidence.js';
import type { CompanionLine, Edit, Finding, Language } from '../domain/finding.js';
import type { ProjectRef } from '../domain/project-ref.js';
import { contentHash } from '../domain/fingerprint.js';
import { severityRank } from '../domain/severity.js';
import { applyEdits, planFixes, rebaseEdits } from '../engine/fixer.js';
import type { RuleSet } from '../engine/rules.js';
import type { FixSummary } from './fix-summary.js';
import { replacementsOf } from './fix-summary.js';
import { applyNewFix } from './fix-actions.js';
import type { FixActionDeps } from './fix-actions.js';
import type { NewFix, PatternStats } from './ports.js';
import type { ValidationStep } from '../validation/ports.js';
import { encodeSource, withFileEol } from '../io/source-file.js';
import pLimit from 'p-limit';
import { PARSE_ERROR_RULE } from '../engine/analyze.js';
import { unifiedDiff, unifiedDiffOfEdits } from './unified-diff.js';
import { CompanionFiles } from './companion-files.js';
import type { CompanionChange } from './companion-files.js';
import type { CommandPolicy } from '../io/sandbox.js';
import type { FixStrategy } from './strategies.js';
import { proposeFix } from './strategies.js';
import type { CheckSpec, SourceText } from '../validation/validate-checks.js';
import { validateWithChecks } from '../validation/validate-checks.js';
import { TOOL_FAULT, validateFileFixes } from '../validation/validate-in-memory.js';
import type { LinesRan } from '../validation/v8-coverage.js';

export interface AnalyzedSource extends SourceText {
  readonly language: Language;
  readonly bytes: Uint8Array;
  readonly findings: readonly Finding[];
}

export interface CrawlFixOptions {
  readonly apply: boolean;
  readonly threshold: number;
  readonly checks: readonly CheckSpec[];
  /** Whether and how the checks (repository commands) run. */
  readonly commands: CommandPolicy;
  readonly strategies: readonly FixStrategy[];
  readonly rules: RuleSet;
  /** Paths (absolute) kept out of the isolated copy, e.g. the data directory. */
  readonly leftOut: readonly string[];
  /** Reliability tables per strategy: scores are mapped through those with enough outcomes. */
  readonly calibration?: readonly ReliabilityTable[];
  /** Time the project's tests may take in this crawl, all runs together (--validate-with-tests). */
  readonly testBudgetMs?: number;
  /** Run the tests for every fix, not only for those that covered tests could lift over the threshold. */
  readonly testEveryFix?: boolean;
  /** Progress in words while the checks run. */
  readonly onStatus?: (message: string) => void;
}

interface Candidate {
  readonly id: string;
  readonly finding: Finding;
  readonly issueId: string;
  readonly strategy: StrategyName;
  readonly safety: 'safe' | 'unsafe';
  /** The edits of the finding's file: what is planned, validated and measured by coverage. */
  readonly edits: readonly Edit[];
  /**
   * Lines for other files (an `.env.example` entry): no code runs them, so they are left out of the
   * checks and made into edits only when the fix is decided, against those files as they are then.
   */
  readonly companions?: readonly CompanionLine[];
  readonly template: string | null;
  /** A generated fix's explanation for its reviewer. */
  readonly explanation?: string;
  readonly generationCostUsd?: number | null;
  steps: ValidationStep[];
  verdict: 'passed' | 'unchecked' | 'failed';
  /** Set when the tests ran with coverage and passed: whether the fix's changed lines ran. */
  linesRan?: LinesRan;
  confidence: number;
}

/** Lines a text spans; a trailing line break ends its last line rather than starting another. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function changedLines(edits: readonly Edit[], source: string): number {
  return edits.reduce((sum, edit) => sum + Math.max(1, lineCount(source.slice(edit.start, edit.end)), lineCount(edit.text)), 0);
}

/** What one crawl hands its fix phase. */
export interface ProcessFixesInput {
  readonly crawlId: string;
  /** The analyzed files with findings, by path. */
  readonly sources: ReadonlyMap<string, AnalyzedSource>;
  /** Stored issue id per finding fingerprint. */
  readonly issueIds: ReadonlyMap<string, string>;
  readonly patterns: ReadonlyMap<string, PatternStats>;
  /** Issues that already have a pending, rejected or failed fix: nothing new is proposed for them. */
  readonly skipIssues: ReadonlySet<string>;
  /** When set, fixes are proposed for these issues only (a later pass retrying the overlapping ones). */
  readonly onlyIssues?: ReadonlySet<string>;
  readonly options: CrawlFixOptions;
}

/** A proposal left out of a pass because it overlapped another fix of its file. */
export interface OverlapSkip {
  readonly issueId: string;
  readonly file: string;
  readonly summary: FixSummary;
}

/** What one pass did: its summaries (overlap skips apart), and each file it wrote, as it is now. */
export interface PassOutcome {
  readonly summaries: FixSummary[];
  readonly skipped: OverlapSkip[];
  /** The issues the pass proposed a fix for (left out for overlap or not). */
  readonly proposed: ReadonlySet<string>;
  readonly declined: number;
  readonly checkRuns: number;
  /** Each file the pass wrote: its text and bytes now, and the edits made (in the coordinates of the text the pass started from). */
  readonly written: Map<string, { readonly text: string; readonly bytes: Uint8Array; readonly edits: readonly Edit[] }>;
}

/**
 * A fix recorded after the loop, in one batch; `failedStep` is set for fixes that failed validation through
 * their own fault, and is what the pattern's record counts.
 */
interface DeferredFix {
  readonly fix: NewFix;
  readonly summary: FixSummary;
  readonly failedStep?: string;
}

/**
 * One pass of generating, validating, scoring and deciding the fixes of a crawl: above the threshold with
 * --apply they are written (one atomic write per fix, later fixes of a file re-based on earlier ones);
 * below it, or without --apply, they wait in the review queue. Proposals that overlap another fix of their
 * file are left for the next pass (see multipass.ts).
 */
export async function fixPass(deps: FixActionDeps, input: ProcessFixesInput): Promise<PassOutcome> {
  const { sources, options } = input;
  const companions = new CompanionFiles(deps.root);
  const { proposals, declined } = await proposeFixes(input, companions, deps.project);
  const summaries: FixSummary[] = [];
  const { accepted, skipped } = planCandidates(proposals);
  const acceptedByFile = new Map<string, Candidate[]>();
  for (const candidate of accepted) acceptedByFile.set(candidate.finding.file, [...(acceptedByFile.get(candidate.finding.file) ?? []), candidate]);
  validateInMemory(acceptedByFile, sources, options.rules);
  const checkRuns = await validateOnCopy(deps.root, accepted, input);
  scoreCandidates(accepted, input);

  // Per file: failed ones are recorded; applied ones are written in order; queued ones are recorded
  // against the file as it is after this crawl's writes, so approving them later still works.
  // Failed and queued fixes are written in one batch at the end; applied ones one by one, as they are written.
  const deferred: DeferredFix[] = [];
  const written = new Map<string, { text: string; bytes: Uint8Array; edits: readonly Edit[] }>();
  for (const [file, candidates] of acceptedByFile) {
    const source = sources.get(file);
    if (!source) continue;
    const after = await decideFile(deps, { input, companions }, file, source, candidates, summaries, deferred);
    if (after) written.set(file, after);
  }
  await recordDeferred(deps, deferred, summaries);
  return { summaries, skipped, proposed: new Set(proposals.map((candidate) => candidate.issueId)), declined, checkRuns, written };
}

/** Asks the strategies for a fix of every finding, worst first; counts the findings none could fix. */
async function proposeFixes(input: ProcessFixesInput, companions: CompanionFiles, project: ProjectRef): Promise<{ proposals: Candidate[]; declined: number }> {
  const { sources, issueIds, patterns, skipIssues, options } = input;
  let declined = 0;
  const proposals: Candidate[] = [];
  const ordered = [...sources.values()]
    .flatMap((source) => source.findings)
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.file.localeCompare(b.file) || a.range.startOffset - b.range.startOffset);
  // proposals are asked for in parallel as far as the strategies allow, and kept in the order above
  const limit = pLimit(Math.max(1, ...options.strategies.map((strategy) => strategy.concurrency ?? 1)));
  const asked = ordered.map((finding) =>
    limit(async () => {
      const issueId = issueIds.get(finding.fingerprint);
      const source = sources.get(finding.file);
      if (!issueId || !source || skipIssues.has(issueId) || (input.onlyIssues && !input.onlyIssues.has(issueId))) return null;
      // a file that does not parse was read in part: a fix there could rest on a misread, so none is made
      if (source.findings.some((f) => f.ruleId === PARSE_ERROR_RULE)) return 'declined' as const;
      const proposal = await proposeFix(options.strategies, { finding, source: source.text, pattern: patterns.get(finding.patternFingerprint), project, crawlId: input.crawlId });
      // a fix whose second file cannot take its lines (binary, a directory) is not the fix the rule meant
      if (!proposal || (proposal.companions && !(await companions.changesFor(proposal.companions)))) return 'declined' as const;
      return { finding, issueId, proposal, edits: proposal.edits.map((edit) => ({ ...edit, text: withFileEol(edit.text, source.info) })) };
    }),
  );
  for (const result of await Promise.all(asked)) {
    if (result === 'declined') declined++;
    else if (result) proposals.push({ id: String(proposals.length), finding: result.finding, issueId: result.issueId, ...result.proposal, edits: result.edits, steps: [], verdict: 'unchecked', confidence: 0 });
  }
  return { proposals, declined };
}

/** Keeps the proposals whose edits do not overlap an earlier one's; the others are left for the next pass. */
function planCandidates(proposals: readonly Candidate[]): { accepted: Candidate[]; skipped: OverlapSkip[] } {
  const plan = planFixes(proposals.map((candidate) => ({ id: candidate.id, edits: candidate.edits })));
  const byId = new Map(proposals.map((candidate) => [candidate.id, candidate]));
  const skipped = plan.skipped.flatMap(({ id, reason }): OverlapSkip[] => {
    const candidate = byId.get(id);
    return candidate ? [{ issueId: candidate.issueId, file: candidate.finding.file, summary: summaryOf(candidate, null, 'skipped-overlap', reason) }] : [];
  });
  return { accepted: plan.accepted.map((group) => byId.get(group.id)).filter((c): c is Candidate => c !== undefined), skipped };
}

/** Re-parses and re-analyzes each file with its fixes applied; a fix that breaks either fails. */
function validateInMemory(acceptedByFile: ReadonlyMap<string, Candidate[]>, sources: ReadonlyMap<string, AnalyzedSource>, rules: RuleSet): void {
  for (const [file, candidates] of acceptedByFile) {
    const source = sources.get(file);
    if (!source) continue;
    const outcomes = validateFileFixes({
      source: source.text,
      language: source.language,
      file,
      candidates: candidates.map((c) => ({ id: c.id, edits: c.edits, target: c.finding })),
      rules,
    });
    for (const candidate of candidates) {
      const outcome = outcomes.get(candidate.id);
      candidate.steps = outcome?.steps ?? [];
      candidate.verdict = outcome?.passed ? 'unchecked' : 'failed';
    }
  }
}

/**
 * Runs the repository's checks on an isolated copy for the fixes still standing: first the configured
 * commands for all of them, then the project's tests, with coverage, for those that tests could lift over
 * the threshold (all of them with `testEveryFix`), within the crawl's test budget. Tests give credit only
 * when they passed and ran the fix's changed lines. Returns how many runs it took.
 */
async function validateOnCopy(root: string, accepted: readonly Candidate[], input: ProcessFixesInput): Promise<number> {
  const { options } = input;
  const commands = options.checks.filter((check) => !check.tests);
  const tests = options.checks.filter((check) => check.tests);
  const common = { root, leftOut: options.leftOut, policy: options.commands, sources: input.sources, onStatus: options.onStatus };
  const standing = (): Candidate[] => accepted.filter((candidate) => candidate.verdict !== 'failed');
  let runs = 0;
  if (commands.length > 0) {
    const checkable = standing();
    const result = await validateWithChecks({ ...common, checks: commands, candidates: checkable.map((c) => ({ id: c.id, edits: c.edits })) });
    runs += result.runs;
    for (const candidate of checkable) {
      const outcome = result.outcomes.get(candidate.id);
      if (!outcome) continue;
      candidate.steps = [...candidate.steps, ...outcome.steps];
      candidate.verdict = outcome.verdict;
    }
  }
  if (tests.length === 0) return runs;
  const eligible: Candidate[] = [];
  for (const candidate of standing()) {
    const best = bestCaseConfidence(candidate, input);
    if (options.testEveryFix || best >= options.threshold) eligible.push(candidate);
    else {
      const detail = `not run: even with passing tests that run its changed lines, its confidence (${best}) would stay below the threshold (${options.threshold}); validation.testEveryFix runs them for every fix`;
      candidate.steps = [...candidate.steps, { step: 'check', name: tests.map((t) => t.name).join(' + '), passed: false, detail, durationMs: 0 }];
    }
  }
  const result = await validateWithChecks({
    ...common,
    checks: tests,
    candidates: eligible.map((c) => ({ id: c.id, edits: c.edits })),
    coverage: true,
    ...(options.testBudgetMs !== undefined ? { deadline: Date.now() + options.testBudgetMs } : {}),
  });
  for (const candidate of eligible) {
    const outcome = result.outcomes.get(candidate.id);
    if (!outcome) continue;
    candidate.steps = [...candidate.steps, ...outcome.steps];
    if (outcome.verdict === 'failed') candidate.verdict = 'failed';
    else if (outcome.verdict === 'passed') {
      candidate.linesRan = outcome.linesRan;
      // tests that passed without running the fix's lines say nothing about it
      if (outcome.linesRan === 'ran') candidate.verdict = 'passed';
    }
  }
  return runs + result.runs;
}

/** The confidence a fix would have if the tests passed and ran its lines: what decides whether to run them. */
function bestCaseConfidence(candidate: Candidate, input: ProcessFixesInput): number {
  if (input.patterns.get(candidate.finding.patternFingerprint)?.deprecated === true) return 0;
  return confidenceOf(candidate, input, { validation: 'passed', linesRanInTests: true });
}

/** Sets each fix's confidence from its strategy, pattern record, validation and size (calibrated where known). */
function scoreCandidates(accepted: readonly Candidate[], input: ProcessFixesInput): void {
  for (const candidate of accepted) {
    candidate.confidence = confidenceOf(candidate, input, { validation: candidate.verdict, linesRanInTests: candidate.linesRan === 'ran' });
  }
}

/** A fix's confidence under the given validation evidence, from its strategy, pattern record and size. */
function confidenceOf(candidate: Candidate, input: ProcessFixesInput, evidence: { validation: Candidate['verdict']; linesRanInTests: boolean }): number {
  const source = input.sources.get(candidate.finding.file);
  const pattern = input.patterns.get(candidate.finding.patternFingerprint);
  const table = (input.options.calibration ?? []).find((t) => t.strategy === candidate.strategy);
  return fixConfidence({
    strategy: candidate.strategy,
    safety: candidate.safety,
    successes: pattern?.weightedSuccesses ?? 0,
    failures: pattern?.weightedFailures ?? 0,
    ...evidence,
    changedLines: source ? changedLines(candidate.edits, source.text) : 1,
    calibrate: calibrator(table),
  });
}

/** The record of one fix of `file` made against `before`, and the file after it. */
function recordOf(
  crawlId: string,
  file: string,
  source: AnalyzedSource,
  candidate: Candidate,
  change: { status: NewFix['status']; reason: string | null; edits: readonly Edit[]; before: string; beforeBytes: Uint8Array; companions: readonly CompanionChange[] },
): { fix: NewFix; after: string; afterBytes: Uint8Array } {
  const { status, reason, edits, before, beforeBytes, companions } = change;
  const after = applyEdits(before, edits);
  const afterBytes = encodeSource(after, source.info);
  const fix: NewFix = {
    issueId: candidate.issueId,
    crawlId,
    ruleId: candidate.finding.ruleId,
    patternFingerprint: candidate.finding.patternFingerprint,
    strategy: candidate.strategy,
    safety: candidate.safety,
    edits: [...edits, ...companions.flatMap((c) => c.edits)],
    template: candidate.template,
    diff: unifiedDiffOfEdits(file, before, edits) + companions.map((c) => unifiedDiff(c.path, c.before, c.after)).join(''),
    confidence: candidate.confidence,
    validation: candidate.steps,
    status,
    statusReason: reason,
    ...(candidate.explanation ? { explanation: candidate.explanation } : {}),
    ...(candidate.generationCostUsd !== undefined ? { generationCostUsd: candidate.generationCostUsd } : {}),
    files: [{ path: file, originalBytes: beforeBytes, originalSha256: contentHash(beforeBytes), fixedSha256: contentHash(afterBytes) }, ...companions.map((c) => c.record)],
  };
  return { fix, after, afterBytes };
}

/** What deciding a pass's fixes needs beyond a file's own: the pass's input and its companion files. */
interface DecideContext {
  readonly input: ProcessFixesInput;
  readonly companions: CompanionFiles;
}

/** A fix's changes to its companion files as they are now; null when they can no longer take its lines. */
async function companionChanges(context: DecideContext, candidate: Candidate): Promise<CompanionChange[] | null> {
  return candidate.companions ? context.companions.changesFor(candidate.companions) : [];
}

/** Decides one file's fixes: failed ones and queued ones are deferred; those to apply are written in order. */
async function decideFile(
  deps: FixActionDeps,
  context: DecideContext,
  file: string,
  source: AnalyzedSource,
  candidates: readonly Candidate[],
  summaries: FixSummary[],
  deferred: DeferredFix[],
): Promise<{ text: string; bytes: Uint8Array; edits: readonly Edit[] } | null> {
  const { crawlId, patterns, options } = context.input;
  let text = source.text;
  let bytes = source.bytes;
  const applied: Edit[] = [];
  for (const candidate of candidates.filter((c) => c.verdict === 'failed')) {
    const failedStep = candidate.steps.find((step) => !step.passed);
    const reason = `failed validation at ${failedStep?.name ?? 'unknown step'}: ${failedStep?.detail.split('\n')[0] ?? ''}`;
    const companions = (await companionChanges(context, candidate)) ?? [];
    const { fix } = recordOf(crawlId, file, source, candidate, { status: 'failed_validation', reason, edits: candidate.edits, before: source.text, beforeBytes: source.bytes, companions });
    // the tool's own fault counts against no pattern: the fix is recorded, its outcome is not
    const toolFault = failedStep?.detail.startsWith(TOOL_FAULT) === true;
    deferred.push({ fix, summary: summaryOf(candidate, null, 'failed-validation', reason), ...(toolFault ? {} : { failedStep: failedStep ? `${failedStep.step}/${failedStep.name}` : 'unknown step' }) });
  }
  const passing = candidates.filter((c) => c.verdict !== 'failed');
  const deprecated = (c: Candidate): boolean => patterns.get(c.finding.patternFingerprint)?.deprecated === true;
  const toApply = options.apply ? passing.filter((c) => c.confidence >= options.threshold && !deprecated(c)) : [];
  for (const candidate of toApply) {
    const edits = rebaseEdits(candidate.edits, applied);
    const companions = await companionChanges(context, candidate);
    if (!companions) {
      summaries.push(summaryOf(candidate, null, 'failed-apply', `a file the fix adds lines to (${candidate.companions?.map((c) => c.file).join(', ')}) cannot take them any more`));
      continue;
    }
    const reason = `confidence ${candidate.confidence} >= threshold ${options.threshold}`;
    const { fix, after, afterBytes } = recordOf(crawlId, file, source, candidate, { status: 'applying', reason, edits, before: text, beforeBytes: bytes, companions });
    const own = { path: file, expectedSha256: contentHash(bytes), newBytes: afterBytes, restoreBytes: bytes };
    const result = await applyNewFix(deps, fix, [own, ...companions.map((c) => c.change)]);
    if (result.error) {
      summaries.push(summaryOf(candidate, result.id, 'failed-apply', result.error.message));
      continue;
    }
    context.companions.written(companions);
    applied.push(...candidate.edits);
    text = after;
    bytes = afterBytes;
    summaries.push(summaryOf(candidate, result.id, 'applied', null));
  }
  for (const candidate of passing.filter((c) => !toApply.includes(c))) {
    const reason = !options.apply
      ? 'crawl ran without --apply'
      : deprecated(candidate)
        ? `pattern deprecated by its outcomes; a human approval restores it`
        : `confidence ${candidate.confidence} < threshold ${options.threshold}${testsNote(candidate)}`;
    const companions = (await companionChanges(context, candidate)) ?? [];
    const { fix } = recordOf(crawlId, file, source, candidate, { status: 'pending', reason, edits: rebaseEdits(candidate.edits, applied), before: text, beforeBytes: bytes, companions });
    const texts = new Map([[file, text], ...companions.map((c): [string, string] => [c.path, c.before])]);
    deferred.push({ fix, summary: { ...summaryOf(candidate, null, 'queued', reason), replacements: replacementsOf(fix.edits, texts) } });
  }
  return applied.length > 0 ? { text, bytes, edits: applied } : null;
}

/** Stores the deferred fixes in one batch, marks the queued ones' issues pending, records failed validations. */
async function recordDeferred(deps: FixActionDeps, deferred: readonly DeferredFix[], summaries: FixSummary[]): Promise<void> {
  const ids = await deps.store.insertFixes(deps.project, deferred.map((d) => d.fix));
  await deps.store.markIssuesPending(deps.project, deferred.filter((d) => d.fix.status === 'pending').map((d) => d.fix.issueId));
  deferred.forEach((d, i) => summaries.push({ ...d.summary, fixId: ids[i] ?? null }));
  const failures = deferred.flatMap((d, i) => {
    const fixId = ids[i];
    return fixId && d.failedStep ? [{ fixId, kind: 'failed_validation' as const, detail: d.failedStep }] : [];
  });
  if (failures.length > 0) await deps.store.recordFixOutcomes(deps.project, failures);
}

/** Why the tests gave a queued fix no credit, when they ran for it. */
function testsNote(candidate: Candidate): string {
  const coverage = candidate.steps.find((step) => step.step === 'coverage' && !step.passed);
  return coverage ? `; ${coverage.detail}` : '';
}

function summaryOf(candidate: Candidate, fixId: string | null, decision: FixSummary['decision'], reason: string | null): FixSummary {
  const coverage = candidate.steps.find((step) => step.step === 'coverage');
  return {
    ...(candidate.linesRan && coverage ? { tests: { linesRan: candidate.linesRan, detail: coverage.detail } } : {}),
    ...(candidate.explanation ? { explanation: candidate.explanation } : {}),
    ...(candidate.generationCostUsd !== undefined ? { generationCostUsd: candidate.generationCostUsd } : {}),
    fixId,
    ruleId: candidate.finding.ruleId,
    file: candidate.finding.file,
    line: candidate.finding.range.startLine + 1,
    strategy: candidate.strategy,
    safety: candidate.safety,
    confidence: candidate.confidence,
    decision,
    reason,
  };
}
