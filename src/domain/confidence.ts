import { betaQuantile } from './beta.js';

/**
 * Confidence that a fix is right, in 0..1, as used for the apply-or-review decision.
 *
 *   confidence = calibrate( lower(Beta(a0 + s, b0 + f)) * validation * size )
 *
 * - Beta(a0, b0) is the prior of the strategy that produced the fix (STRATEGY_PRIORS).
 * - s and f are the recency-weighted successes and failures recorded for the fix's pattern
 *   fingerprint (each outcome weighs 0.5^(age / half-life), see pattern-learning.ts).
 * - lower(B) is the lower end of the one-sided CREDIBILITY credible interval: the (1 - CREDIBILITY)
 *   quantile of the posterior. The mean would trust 1 success out of 1 like 95 out of 100; the lower
 *   bound only rises as evidence piles up, so a thin history cannot push a fix over the threshold.
 * - validation is 0 when any validation step failed, 1 when the project's own checks ran and passed,
 *   and UNCHECKED_FACTOR when only re-parse and re-analysis ran.
 * - size = 1 / (1 + SIZE_PENALTY * (changedLines - 1)): larger changes are less certain.
 * - tests: when the project's test suite passed with the fix applied AND executed the fix's changed lines
 *   (V8 block coverage, --validate-with-tests), that is evidence of its own, independent of the record:
 *   the chance the fix is wrong shrinks to COVERED_MISS_RATE of what it was,
 *     score = 1 - (1 - lower * size) * COVERED_MISS_RATE.
 *   An unsafe rule-template fix on an unseen pattern (lower 0.247) then scores 0.91, above the default
 *   threshold, and a safe one 0.99. Tests that passed without running the lines give nothing. The record
 *   still governs: recorded failures pull `lower` down, and below about 1/6 (an unsafe pattern with three
 *   recent failures) even covered fixes go to review.
 *   COVERED_MISS_RATE (0.12) is the share of wrong fixes a suite that runs them is assumed to miss.
 *   Mutation-testing studies put the share of mutants that covering tests do not kill at roughly 10-30%;
 *   a fix that already passed re-parsing and re-analysis is a milder change than a random mutant, so the
 *   low end is used, and calibration corrects it from outcomes once there are enough.
 * - calibrate maps the score through the strategy's reliability table once enough decided fixes have
 *   outcomes (calibration.ts); before that it is the identity.
 *
 * Priors: the lower bound of a prior alone is below its mean, so the safe rule-template prior was
 * re-tuned from 19:1 (mean 0.95) to 40:1 (mean 0.976, 10% quantile 0.944): a rule author marking a
 * template safe is worth about forty clean applications. A safe single-line template fix on an unseen
 * pattern then scores 0.944 * 0.97 = 0.916 unchecked and 0.944 checked, above the default threshold
 * of 0.9, while one recorded failure (Beta(40, 2): 0.908) sends its unchecked fixes to review.
 * Unsafe priors keep a mean of at most 0.5, so unsafe fixes go to review until they have a record.
 */
export interface BetaPrior {
  readonly alpha: number;
  readonly beta: number;
}

export type StrategyName = 'rule-template' | 'pattern-reuse' | 'codebase-aware' | 'llm';

export const STRATEGY_NAMES: readonly StrategyName[] = Object.freeze(['rule-template', 'pattern-reuse', 'codebase-aware', 'llm']);

export const STRATEGY_PRIORS: Readonly<Record<`${StrategyName}:${'safe' | 'unsafe'}`, BetaPrior>> = Object.freeze({
  'rule-template:safe': { alpha: 40, beta: 1 },
  'rule-template:unsafe': { alpha: 3, beta: 3 },
  'pattern-reuse:safe': { alpha: 8, beta: 2 },
  'pattern-reuse:unsafe': { alpha: 3, beta: 3 },
  'codebase-aware:safe': { alpha: 6, beta: 4 },
  'codebase-aware:unsafe': { alpha: 2, beta: 3 },
  'llm:safe': { alpha: 5, beta: 5 },
  'llm:unsafe': { alpha: 2, beta: 4 },
});

/** Decisions use the 10% quantile of the posterior: 90% sure the success rate is at least this. */
export const CREDIBILITY = 0.9;
export const UNCHECKED_FACTOR = 0.97;
export const SIZE_PENALTY = 0.02;
export const COVERED_MISS_RATE = 0.12;

export type ValidationVerdict = 'passed' | 'unchecked' | 'failed';

export interface ConfidenceInput {
  readonly strategy: StrategyName;
  readonly safety: 'safe' | 'unsafe';
  /** Recency-weighted successes of the fix's pattern (may be fractional). */
  readonly successes: number;
  /** Recency-weighted failures of the fix's pattern (may be fractional). */
  readonly failures: number;
  readonly validation: ValidationVerdict;
  readonly changedLines: number;
  /** The strategy's calibrated mapping, when enough outcomes exist (see calibration.ts). */
  readonly calibrate?: (raw: number) => number;
  /** The project's tests passed with the fix applied and executed its changed lines (coverage). */
  readonly linesRanInTests?: boolean;
}

/** Posterior mean of a Beta prior updated with s successes and f failures. */
export function betaPosteriorMean(prior: BetaPrior, successes: number, failures: number): number {
  return (prior.alpha + successes) / (prior.alpha + prior.beta + successes + failures);
}

/** Lower end of the one-sided `credibility` interval of the posterior Beta(a0 + s, b0 + f). */
export function betaLowerBound(prior: BetaPrior, successes: number, failures: number, credibility = CREDIBILITY): number {
  return betaQuantile(1 - credibility, prior.alpha + Math.max(0, successes), prior.beta + Math.max(0, failures));
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

function round4(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;
}

export function fixConfidence(input: ConfidenceInput): number {
  const prior = STRATEGY_PRIORS[`${input.strategy}:${input.safety}`];
  const unchecked = betaLowerBound(prior, input.successes, input.failures) * validationFactor(input.validation) * sizeFactor(input.changedLines);
  const raw = input.linesRanInTests === true && input.validation === 'passed' ? 1 - (1 - unchecked) * COVERED_MISS_RATE : unchecked;
  // A failed validation is certain: no calibration lifts it above 0.
  if (input.validation === 'failed' || !input.calibrate) return round4(raw);
  return round4(input.calibrate(round4(raw)));
}
