/**
 * Confidence that a fix is right, in 0..1.
 *
 *   confidence = mean(Beta(a0 + s, b0 + f)) * validation * size
 *
 * - Beta(a0, b0) is the prior of the strategy that produced the fix (STRATEGY_PRIORS): a rule
 *   template the rule author marked safe starts at 19:1 (0.95), an unsafe one at 3:3 (0.5).
 * - s and f are the successes and failures recorded for the fix's pattern fingerprint, so a pattern
 *   that keeps failing sinks below the threshold and one that keeps working rises toward 1.
 * - validation is 0 when any validation step failed, 1 when the project's own checks ran and passed,
 *   and UNCHECKED_FACTOR when only re-parse and re-analysis ran (no check commands configured, or the
 *   project's checks already failed before any fix was applied).
 * - size = 1 / (1 + SIZE_PENALTY * (changedLines - 1)): larger changes are less certain.
 *
 * With the defaults a safe single-line template fix scores 0.95 * 0.97 = 0.92 unchecked and 0.95
 * checked, above the default threshold of 0.9; an unsafe one scores at most 0.5 and goes to review.
 */
export interface BetaPrior {
  readonly alpha: number;
  readonly beta: number;
}

export type StrategyName = 'rule-template' | 'pattern-reuse' | 'codebase-aware' | 'llm';

export const STRATEGY_PRIORS: Readonly<Record<`${StrategyName}:${'safe' | 'unsafe'}`, BetaPrior>> = Object.freeze({
  'rule-template:safe': { alpha: 19, beta: 1 },
  'rule-template:unsafe': { alpha: 3, beta: 3 },
  'pattern-reuse:safe': { alpha: 8, beta: 2 },
  'pattern-reuse:unsafe': { alpha: 3, beta: 3 },
  'codebase-aware:safe': { alpha: 6, beta: 4 },
  'codebase-aware:unsafe': { alpha: 2, beta: 3 },
  'llm:safe': { alpha: 5, beta: 5 },
  'llm:unsafe': { alpha: 2, beta: 4 },
});

export const UNCHECKED_FACTOR = 0.97;
export const SIZE_PENALTY = 0.02;

export type ValidationVerdict = 'passed' | 'unchecked' | 'failed';

export interface ConfidenceInput {
  readonly strategy: StrategyName;
  readonly safety: 'safe' | 'unsafe';
  readonly successes: number;
  readonly failures: number;
  readonly validation: ValidationVerdict;
  readonly changedLines: number;
}

/** Posterior mean of a Beta prior updated with s successes and f failures. */
export function betaPosteriorMean(prior: BetaPrior, successes: number, failures: number): number {
  return (prior.alpha + successes) / (prior.alpha + prior.beta + successes + failures);
}

export function validationFactor(verdict: ValidationVerdict): number {
  switch (verdict) {
    case 'passed':
      return 1;
    case 'unchecked':
      return UNCHECKED_FACTOR;
    case 'failed':
      return 0;
  }
}

export function sizeFactor(changedLines: number): number {
  return 1 / (1 + SIZE_PENALTY * Math.max(0, changedLines - 1));
}

export function fixConfidence(input: ConfidenceInput): number {
  const prior = STRATEGY_PRIORS[`${input.strategy}:${input.safety}`];
  const value =
    betaPosteriorMean(prior, input.successes, input.failures) *
    validationFactor(input.validation) *
    sizeFactor(input.changedLines);
  return Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;
}
