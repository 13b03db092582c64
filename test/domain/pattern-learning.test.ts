import { describe, expect, it } from 'vitest';
import { DEPRECATION, FIX_OUTCOME_KINDS, deprecationChange, isSuccess, patternBound, recencyWeight } from '../../src/domain/pattern-learning.js';

describe('pattern learning', () => {
  it('counts only a verified fix as a success', () => {
    expect(FIX_OUTCOME_KINDS.filter(isSuccess)).toEqual(['verified']);
  });

  it('halves an outcome weight every half-life', () => {
    expect(recencyWeight(0)).toBe(1);
    expect(recencyWeight(90)).toBeCloseTo(0.5, 12);
    expect(recencyWeight(180)).toBeCloseTo(0.25, 12);
    expect(recencyWeight(-3)).toBe(1);
  });

  it.each([
    { s: 2, f: 3, attempts: 5, deprecated: false, change: 'deprecated: lower bound 0.2009 < 0.3 after 5 outcomes' },
    { s: 3, f: 2, attempts: 5, deprecated: false, change: null },
    { s: 0, f: 4, attempts: 4, deprecated: false, change: null },
    { s: 0, f: 9, attempts: 9, deprecated: true, change: null },
    { s: 0, f: 9, attempts: 2, deprecated: false, change: null },
  ])('$s successes, $f failures, $attempts attempts since restore -> $change', ({ s, f, attempts, deprecated, change }) => {
    expect(deprecationChange({ weightedSuccesses: s, weightedFailures: f, attemptsSinceRestore: attempts, deprecated })).toBe(change);
  });

  it('uses a uniform prior for the pattern bound', () => {
    expect(patternBound(0, 0)).toBe(0.1);
    expect(patternBound(95, 5)).toBeGreaterThan(DEPRECATION.bound);
  });
});
