import { betaQuantile } from './beta.js';
import { CREDIBILITY } from './confidence.js';

/**
 * How a fix ended. Exactly one outcome is current per fix; a later one replaces it (an applied fix
 * that is rolled back, reverted or re-edited afterwards stops counting as a success).
 */
export type FixOutcomeKind = 'verified' | 'failed_validation' | 'failed_apply' | 'rejected' | 'rolled_back' | 'reverted' | 're_edited';

export const FIX_OUTCOME_KINDS: readonly FixOutcomeKind[] = Object.freeze([
  'verified',
  'failed_validation',
  'failed_apply',
  'rejected',
  'rolled_back',
  'reverted',
  're_edited',
]);

/** Only an applied fix whose write was verified counts as a success. */
export function isSuccess(kind: FixOutcomeKind): boolean {
  return kind === 'verified';
}

/** An outcome's weight halves every HALF_LIFE_DAYS, so recent outcomes weigh more than old ones. */
export const HALF_LIFE_DAYS = 90;

export function recencyWeight(ageDays: number, halfLifeDays = HALF_LIFE_DAYS): number {
  return Math.pow(0.5, Math.max(0, ageDays) / halfLifeDays);
}

/**
 * Deprecation judges a pattern on its own evidence, with a uniform Beta(1, 1) prior (a strategy's
 * prior says how much a fresh fix is trusted, not whether a pattern has proved bad): after at least
 * `minAttempts` outcomes since it was last restored, a pattern whose lower credible bound is below
 * `bound` stops being auto-applied. With the defaults, 2 successes in 5 (bound 0.20) deprecate a
 * pattern and 3 in 5 (0.33) do not.
 */
export const DEPRECATION = Object.freeze({ minAttempts: 5, bound: 0.3 });

/** The pattern's own lower credible bound from weighted successes and failures. */
export function patternBound(weightedSuccesses: number, weightedFailures: number): number {
  const value = betaQuantile(1 - CREDIBILITY, 1 + Math.max(0, weightedSuccesses), 1 + Math.max(0, weightedFailures));
  return Math.round(value * 10_000) / 10_000;
}

export interface PatternEvidence {
  readonly weightedSuccesses: number;
  readonly weightedFailures: number;
  /** Outcomes recorded since the pattern was last restored (all of them if it never was). */
  readonly attemptsSinceRestore: number;
  readonly deprecated: boolean;
}

/** Whether the pattern becomes deprecated now, and why (null: no change). Restoring is a human act. */
export function deprecationChange(evidence: PatternEvidence): string | null {
  if (evidence.deprecated || evidence.attemptsSinceRestore < DEPRECATION.minAttempts) return null;
  const bound = patternBound(evidence.weightedSuccesses, evidence.weightedFailures);
  if (bound >= DEPRECATION.bound) return null;
  return `deprecated: lower bound ${bound} < ${DEPRECATION.bound} after ${evidence.attemptsSinceRestore} outcomes`;
}
