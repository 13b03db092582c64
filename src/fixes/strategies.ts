import type { StrategyName } from '../domain/confidence.js';
import type { CompanionLine, Edit, Finding } from '../domain/finding.js';
import { instantiateTemplate, lineIndent } from '../engine/template.js';
import { applyLearnedTemplate } from '../engine/learn/apply-template.js';
import type { PatternStats } from './ports.js';
import type { ProjectRef } from '../domain/project-ref.js';

/** A proposed fix before validation: data only. */
export interface FixProposal {
  readonly strategy: StrategyName;
  readonly safety: 'safe' | 'unsafe';
  readonly edits: readonly Edit[];
  /** The template it came from, kept so an approved fix can become the pattern's best fix. */
  readonly template: string | null;
  /** Lines the fix adds to other files (an `.env.example` entry), made into edits when it is decided. */
  readonly companions?: readonly CompanionLine[];
  /** Why the fix is right, in words, for a reviewer (a generated fix's own explanation). */
  readonly explanation?: string;
  /** What the call that generated it cost, in USD (0: a kept answer; null: a model without a price). */
  readonly generationCostUsd?: number | null;
}

export interface StrategyContext {
  readonly finding: Finding;
  /** The decoded text of the finding's file. */
  readonly source: string;
  readonly pattern: PatternStats | undefined;
  /** The project and crawl the fix is for (a strategy that records its work, `llm`, needs them). */
  readonly project?: ProjectRef;
  readonly crawlId?: string;
}

/**
 * One way of producing a fix. A strategy declines (returns null) when it has nothing trustworthy
 * to offer: declining is better than a wrong fix. Codebase-aware and LLM strategies plug in here.
 */
export interface FixStrategy {
  readonly name: StrategyName;
  /** Proposals it can make at once (a remote model answers calls in parallel); absent: one at a time. */
  readonly concurrency?: number;
  propose(context: StrategyContext): Promise<FixProposal | null> | FixProposal | null;
}

/** The rule's own fix template, expanded by the engine while the AST was at hand. */
export const ruleTemplateStrategy: FixStrategy = {
  name: 'rule-template',
  propose: ({ finding }) =>
    finding.templateFix
      ? {
          strategy: 'rule-template',
          safety: finding.templateFix.safety,
          edits: finding.templateFix.edits,
          template: finding.templateFix.template,
          ...(finding.templateFix.companions ? { companions: finding.templateFix.companions } : {}),
        }
      : null,
};

/** A stored pattern's best fix (learned from approved fixes), re-instantiated with this match's bindings. */
export const patternReuseStrategy: FixStrategy = {
  name: 'pattern-reuse',
  propose: ({ finding, source, pattern }) => {
    // Text files (config, docs) are scanned for secrets only, and secrets get no fix.
    if (!pattern?.bestFix || pattern.deprecated || finding.language === 'text') return null;
    const { startOffset, endOffset } = finding.range;
    const { match, template } = pattern.bestFix;
    // A learned template binds its own metavariables by matching its pattern at the finding's node.
    const text =
      match === undefined
        ? instantiateTemplate(template, finding.bindings, lineIndent(source, startOffset))
        : applyLearnedTemplate({ source, language: finding.language, start: startOffset, end: endOffset }, { pattern: match, rewrite: template });
    if (text === null || text === source.slice(startOffset, endOffset)) return null;
    return {
      strategy: 'pattern-reuse',
      safety: pattern.bestFix.safety,
      edits: [{ file: finding.file, start: startOffset, end: endOffset, text }],
      template: pattern.bestFix.template,
    };
  },
};

/** The built-in chain, in the order the product defines: rule template, then learned pattern reuse. */
export const DEFAULT_STRATEGIES: readonly FixStrategy[] = Object.freeze([ruleTemplateStrategy, patternReuseStrategy]);

/** Asks each strategy in order; the first proposal wins. */
export async function proposeFix(strategies: readonly FixStrategy[], context: StrategyContext): Promise<FixProposal | null> {
  for (const strategy of strategies) {
    const proposal = await strategy.propose(context);
    if (proposal && proposal.edits.length > 0) return proposal;
  }
  return null;
}
