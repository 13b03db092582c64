import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Finding } from '../domain/finding.js';
import { costOf } from '../domain/llm-prices.js';
import type { ModelPrice } from '../domain/llm-prices.js';
import { enclosingUnitOf } from '../engine/enclosing-unit.js';
import type { EnclosingUnit } from '../engine/enclosing-unit.js';
import { anchoredEdits } from './llm-edits.js';
import type { FixGenerator, FixRequest, GeneratedFix, GeneratedFixStore, LlmCallRecord, PromptKey } from './ports.js';
import type { FixProposal, StrategyContext } from './strategies.js';
import type { FixStrategy } from './strategies.js';

/**
 * The `llm` strategy (issue 15): for a finding no rule template or learned template fixes, a language model
 * is shown the code unit around it (the enclosing function, from the syntax tree) and answers with edits
 * anchored on exact text of the file (llm-edits.ts). The fix is unsafe and goes through the same validation
 * as every fix (re-parse, re-analysis: the finding gone and nothing new; checks and tests when configured). Files holding a secret never reach a strategy
 * (crawl/crawl.ts gives them no fix), so their text is never sent.
 */

/** What the prompt says about the rule. */
export interface RuleBrief {
  readonly message: string;
  readonly rationale: string;
  readonly cwe: number | null;
}

export interface LlmStrategyDeps {
  readonly generator: FixGenerator;
  /** The rule's message and documentation by id; null for a rule without (an adapter's). */
  readonly ruleBrief: (ruleId: string) => RuleBrief | null;
  /** Where answers are kept and calls recorded; absent: every prompt is asked, nothing is recorded. */
  readonly store?: GeneratedFixStore;
  /**
   * What one crawl may spend on calls, in USD, each limit with how a skipped fix names it ("2.00 USD per
   * crawl"); the first reached stops further calls. Calls in flight when one is reached still end.
   */
  readonly budgets?: readonly { readonly usd: number; readonly label: string }[];
  /** Calls to the provider one crawl makes at most (answers kept from earlier calls do not count). */
  readonly maxCalls?: number;
  /** Which findings may be sent at all (the project's rule lists); absent: all. */
  readonly accepts?: (finding: Finding) => boolean;
  /** A cheaper model for the findings `for` picks (low severity, simple rules), with its price override if any. */
  readonly cheap?: { readonly generator: FixGenerator; readonly price?: ModelPrice; readonly for: (finding: Finding) => boolean };
  /** Calls in flight at once; absent: one. */
  readonly concurrency?: number;
  /** The model's price per million tokens when the operator set one; absent: the built-in table's. */
  readonly price?: ModelPrice;
  /** The project's declared languages and frameworks with versions, one fact per line (crawl/project-stack.ts). */
  readonly projectStack?: readonly string[];
  /** Told each finding left without a generated fix for a reason (a failed call, the budget, the breaker). */
  readonly onFailure?: (finding: Finding, message: string) => void;
}

/** What one crawl's calls did, for the report. */
export interface LlmStats {
  readonly model: string;
  /** Prompts asked of the provider, answered or not. */
  calls: number;
  /** Prompts answered from the kept answers, at no cost. */
  cached: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls whose cost is unknown (the model has no price, or the provider gave no token counts). */
  unpriced: number;
}

/** The share of prompts answered from kept answers, 0..1; null when the crawl needed none. */
export function hitRateOf(stats: Pick<LlmStats, 'calls' | 'cached'>): number | null {
  const prompts = stats.calls + stats.cached;
  return prompts === 0 ? null : Math.round((stats.cached / prompts) * 1000) / 1000;
}

/** Consecutive failed calls after which a crawl stops calling: the provider is down or refusing. */
export const BREAKER_FAILURES = 3;

const SYSTEM = [
  'You fix one reported issue in source code.',
  'You get the issue, the imports of its file, and the unit of code (a function, a method or a statement) that contains it, with line numbers.',
  'Answer with edits of that file. Each edit has `find`, text copied exactly from the code shown (without the line numbers and markers), long enough to occur only once in the file, and `replace`, its new text.',
  'Keep edits small: change only what the fix needs, same indentation, names and behaviour otherwise, comments kept.',
  'When the fix needs an import, add it with an edit whose `find` is an import line shown and whose `replace` repeats that line with the new import beside it.',
  'Never write secrets, credentials or placeholder values into the code.',
  'Put a short explanation for a reviewer (one or two sentences: what was wrong, what the fix does) in the explanation field.',
].join(' ');

/** The unit with line numbers from the file, and the finding's lines marked, so the model knows where to look. */
function numbered(source: string, unit: EnclosingUnit, finding: Finding): string {
  const firstLine = source.slice(0, unit.start).split('\n').length;
  // shown with LF line ends whatever the file has: the answer's anchors are matched back in CRLF (llm-edits.ts)
  return unit.text
    .split(/\r?\n/)
    .map((line, index) => {
      const number = firstLine + index;
      const marked = number - 1 >= finding.range.startLine && number - 1 <= finding.range.endLine;
      return `${marked ? '>' : ' '}${String(number).padStart(5)} | ${line}`;
    })
    .join('\n');
}

function describeTrace(finding: Finding): string | null {
  const trace = finding.trace;
  if (!trace) return null;
  const steps = [trace.source, ...trace.steps].map((step) => `${step.label} (line ${step.line + 1})`);
  return `Untrusted data flows: ${steps.join(' -> ')} -> the reported line.`;
}

/** Approved fixes shown as examples at most, and the characters of each diff. */
export const MAX_EXAMPLES = 3;
const MAX_EXAMPLE_CHARS = 2_000;

/** What the prompt adds about the project: its stack, and how its reviewers fixed the same pattern before. */
export interface ProjectContext {
  readonly stack: readonly string[];
  readonly examples: readonly string[];
  /** The template learned for the pattern from this organization's fixes (it did not apply here as it is). */
  readonly learnedTemplate?: string | null;
}

function contextLines(context: ProjectContext): string[] {
  const examples = context.examples.map((diff) => (diff.length > MAX_EXAMPLE_CHARS ? `${diff.slice(0, MAX_EXAMPLE_CHARS)}\n[cut]` : diff));
  return [
    ...(context.stack.length > 0 ? ['The project declares:', ...context.stack.map((line) => `- ${line}`)] : []),
    ...(examples.length > 0 ? ['How reviewers of this repository fixed the same issue before (follow their way):', ...examples] : []),
    ...(context.learnedTemplate ? ['The fix learned from this codebase for the same issue ($NAMES stand for the code they matched):', context.learnedTemplate] : []),
  ];
}

/** The request for one finding: the issue, the rule's documentation, the project, the file's imports, the unit. */
export function fixRequestFor(finding: Finding, brief: RuleBrief | null, source: string, unit: EnclosingUnit, context: ProjectContext = { stack: [], examples: [] }): FixRequest {
  const lines = [
    `Issue: ${finding.ruleId}${finding.cwe ? ` (CWE-${finding.cwe})` : ''}, ${finding.severity} ${finding.category}.`,
    `Message: ${finding.message}`,
    ...(brief && brief.rationale ? [`Why it matters: ${brief.rationale}`] : []),
    ...(describeTrace(finding) ? [describeTrace(finding) as string] : []),
    ...contextLines(context),
    `File: ${finding.file} (${finding.language}), lines ${finding.range.startLine + 1}-${finding.range.endLine + 1} marked with >.`,
    ...(unit.imports.length > 0 ? ['Imports of the file:', ...unit.imports.map((line) => line.replace(/\r/g, ''))] : []),
    `The ${unit.kind} around the issue (the numbers and markers are not part of the code; edits quote the code without them):`,
    numbered(source, unit, finding),
  ];
  return { system: SYSTEM, prompt: lines.join('\n') };
}

const promptKey = (generator: FixGenerator, request: FixRequest): PromptKey => ({
  provider: generator.provider,
  model: generator.model,
  promptSha256: createHash('sha256').update(`${request.system}\0${request.prompt}`).digest('hex'),
});

type CallToRecord = Omit<LlmCallRecord, 'crawlId' | 'ruleId'>;

/** The strategy's state over one crawl: its numbers, and the run of failures that opens the breaker. */
class LlmRun {
  readonly stats: LlmStats;
  private failuresInARow = 0;
  private readonly examplesByPattern = new Map<string, Promise<string[]>>();

  constructor(private readonly deps: LlmStrategyDeps) {
    this.stats = { model: deps.cheap ? `${deps.generator.label} (${deps.cheap.generator.label} for simpler findings)` : deps.generator.label, calls: 0, cached: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: 0 };
  }

  /** Why no call is made now, if none may be. */
  blocked(): string | null {
    if (this.failuresInARow >= BREAKER_FAILURES) return `not asked: the last ${BREAKER_FAILURES} calls failed, so this crawl makes no more`;
    const reached = (this.deps.budgets ?? []).find((budget) => this.stats.costUsd >= budget.usd);
    if (reached) return `not asked: budget reached: ${reached.label}`;
    const maxCalls = this.deps.maxCalls;
    if (maxCalls !== undefined && this.stats.calls >= maxCalls) return `not asked: this crawl made its ${maxCalls} call(s) (llm.maxFixes)`;
    return null;
  }

  /**
   * The answer for the request: kept from an identical prompt, else asked; null on failure (recorded here).
   * An answer comes with its call, which the caller records once it knows whether the answer is used.
   */
  async answer(context: StrategyContext, request: FixRequest): Promise<{ answer: GeneratedFix; call: CallToRecord } | null> {
    const { store, cheap } = this.deps;
    const useCheap = cheap !== undefined && cheap.for(context.finding);
    const generator = useCheap ? cheap.generator : this.deps.generator;
    const price = (useCheap ? cheap.price : this.deps.price) ?? null;
    const key = promptKey(generator, request);
    const project = context.project;
    const kept = project && store ? await store.keptAnswer(project, key) : null;
    if (kept) {
      this.stats.cached++;
      return { answer: kept, call: { ...key, outcome: 'cached', detail: null, inputTokens: null, outputTokens: null, costUsd: 0, durationMs: 0 } };
    }
    const blocked = this.blocked();
    if (blocked) {
      this.deps.onFailure?.(context.finding, blocked);
      return null;
    }
    const started = performance.now();
    this.stats.calls++;
    try {
      const answer = await generator.generate(request);
      this.failuresInARow = 0;
      const { inputTokens, outputTokens } = answer.usage;
      const costUsd = costOf(generator.model, inputTokens, outputTokens, price);
      this.stats.inputTokens += inputTokens ?? 0;
      this.stats.outputTokens += outputTokens ?? 0;
      if (costUsd === null) this.stats.unpriced++;
      else this.stats.costUsd += costUsd;
      return { answer, call: { ...key, outcome: 'answered', detail: null, inputTokens, outputTokens, costUsd, durationMs: performance.now() - started } };
    } catch (error) {
      this.failuresInARow++;
      this.stats.failed++;
      const message = `${generator.label}: ${(error as Error).message}`;
      await this.record(context, { ...key, outcome: 'failed', detail: message, inputTokens: null, outputTokens: null, costUsd: null, durationMs: performance.now() - started }, null);
      this.deps.onFailure?.(context.finding, message);
      return null;
    }
  }

  /** How reviewers fixed the finding's pattern before: asked of the store once per pattern and crawl. */
  examples(context: StrategyContext): Promise<string[]> {
    const { project } = context;
    const store = this.deps.store;
    if (!project || !store) return Promise.resolve([]);
    const fingerprint = context.finding.patternFingerprint;
    let examples = this.examplesByPattern.get(fingerprint);
    if (!examples) {
      examples = store.approvedFixDiffs(project, fingerprint, MAX_EXAMPLES);
      this.examplesByPattern.set(fingerprint, examples);
    }
    return examples;
  }

  /** Records a call; an answered call's answer is kept (also when dropped: the same prompt would get it again). */
  async record(context: StrategyContext, call: CallToRecord, answer: GeneratedFix | null): Promise<void> {
    if (!context.project || !this.deps.store) return;
    await this.deps.store.recordLlmCall(context.project, { ...call, crawlId: context.crawlId ?? null, ruleId: context.finding.ruleId }, answer);
  }
}

/** The proposal an answer makes: its edits anchored in the file, unsafe, with the model's explanation; or why not. */
function proposalOf(finding: Finding, source: string, answer: GeneratedFix, costUsd: number | null): FixProposal | { dropped: string } {
  const anchored = anchoredEdits(source, finding.file, answer.edits);
  if ('dropped' in anchored) return anchored;
  return { strategy: 'llm', safety: 'unsafe', edits: anchored.edits, template: null, explanation: answer.explanation.trim(), generationCostUsd: costUsd };
}

/** The `llm` strategy for one crawl; `stats()` tells what its calls did. */
export function llmStrategy(deps: LlmStrategyDeps): FixStrategy & { stats(): LlmStats } {
  const run = new LlmRun(deps);
  return {
    name: 'llm',
    concurrency: deps.concurrency ?? 1,
    stats: () => ({ ...run.stats }),
    propose: async (context) => {
      const { finding, source } = context;
      if (finding.language === 'text' || (deps.accepts && !deps.accepts(finding))) return null;
      const unit = enclosingUnitOf(source, finding.language, finding.range.startOffset, finding.range.endOffset);
      if (!unit) return null;
      const examples = await run.examples(context);
      const request = fixRequestFor(finding, deps.ruleBrief(finding.ruleId), source, unit, { stack: deps.projectStack ?? [], examples, learnedTemplate: context.pattern?.bestFix?.template ?? null });
      const answered = await run.answer(context, request);
      if (!answered) return null;
      const proposal = proposalOf(finding, source, answered.answer, answered.call.costUsd);
      const dropped = 'dropped' in proposal ? `answer dropped: ${proposal.dropped}` : null;
      await run.record(context, { ...answered.call, detail: dropped }, answered.call.outcome === 'answered' ? answered.answer : null);
      if (dropped) {
        deps.onFailure?.(finding, dropped);
        return null;
      }
      return proposal as FixProposal;
    },
  };
}
