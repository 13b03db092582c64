import { describe, expect, it } from 'vitest';
import {
  STRATEGY_PRIORS,
  UNCHECKED_FACTOR,
  betaLowerBound,
  betaPosteriorMean,
  fixConfidence,
  sizeFactor,
  validationFactor,
} from '../../src/domain/confidence.js';
import type { ConfidenceInput, StrategyName } from '../../src/domain/confidence.js';

const SAFE_TEMPLATE: ConfidenceInput = {
  strategy: 'rule-template',
  safety: 'safe',
  successes: 0,
  failures: 0,
  validation: 'unchecked',
  changedLines: 1,
};

const STRATEGIES: StrategyName[] = ['rule-template', 'pattern-reuse', 'codebase-aware', 'llm'];

describe('fixConfidence', () => {
  it.each([
    { name: 'safe template, unchecked', input: {}, expected: 0.9157 },
    { name: 'safe template, checks passed', input: { validation: 'passed' as const }, expected: 0.9441 },
    { name: 'safe template, checks failed', input: { validation: 'failed' as const }, expected: 0 },
    { name: 'unsafe template, checks passed', input: { safety: 'unsafe' as const, validation: 'passed' as const }, expected: 0.2466 },
    { name: 'unsafe template, unchecked', input: { safety: 'unsafe' as const }, expected: 0.2392 },
    { name: 'five failures recorded', input: { validation: 'passed' as const, failures: 5 }, expected: 0.8036 },
    { name: 'ten successes recorded', input: { validation: 'passed' as const, successes: 10 }, expected: 0.955 },
    { name: 'eleven changed lines', input: { validation: 'passed' as const, changedLines: 11 }, expected: 0.7867 },
    { name: 'zero changed lines (a pure deletion counts as one)', input: { validation: 'passed' as const, changedLines: 0 }, expected: 0.9441 },
  ])('$name -> $expected', ({ input, expected }) => {
    expect(fixConfidence({ ...SAFE_TEMPLATE, ...input })).toBe(expected);
  });

  describe('with passing tests that ran the changed lines', () => {
    const covered = { validation: 'passed' as const, linesRanInTests: true };
    it('lifts an unsafe template fix on an unseen pattern over the default threshold, and a safe one further', () => {
      expect(fixConfidence({ ...SAFE_TEMPLATE, ...covered, safety: 'unsafe' })).toBe(0.9096);
      expect(fixConfidence({ ...SAFE_TEMPLATE, ...covered })).toBe(0.9933);
    });
    it('gives nothing when the tests did not pass or the lines did not run', () => {
      expect(fixConfidence({ ...SAFE_TEMPLATE, linesRanInTests: true, safety: 'unsafe' })).toBe(fixConfidence({ ...SAFE_TEMPLATE, safety: 'unsafe' }));
      expect(fixConfidence({ ...SAFE_TEMPLATE, linesRanInTests: true, validation: 'failed' })).toBe(0);
      expect(fixConfidence({ ...SAFE_TEMPLATE, validation: 'passed', linesRanInTests: false, safety: 'unsafe' })).toBe(0.2466);
    });
    it('still yields to the record: an unsafe pattern with three recent failures goes to review', () => {
      const scores = [0, 1, 2, 3].map((failures) => fixConfidence({ ...SAFE_TEMPLATE, ...covered, safety: 'unsafe', failures }));
      expect(scores.slice(0, 3).every((score) => score >= 0.9)).toBe(true);
      expect(scores[3]).toBeLessThan(0.9);
    });
  });

  it('keeps a safe single-line template fix above the default threshold of 0.9 and an unsafe one below it', () => {
    expect(fixConfidence(SAFE_TEMPLATE)).toBeGreaterThan(0.9);
    expect(fixConfidence({ ...SAFE_TEMPLATE, safety: 'unsafe', validation: 'passed' })).toBeLessThan(0.9);
  });

  it.each(STRATEGIES)('scores an unsafe %s fix at most 0.5 without a history of successes', (strategy) => {
    for (const validation of ['passed', 'unchecked', 'failed'] as const) {
      expect(fixConfidence({ ...SAFE_TEMPLATE, strategy, safety: 'unsafe', validation })).toBeLessThanOrEqual(0.5);
    }
  });

  it.each(STRATEGIES)('scores a failed validation of a %s fix at 0 whatever the history', (strategy) => {
    expect(fixConfidence({ ...SAFE_TEMPLATE, strategy, successes: 1000, validation: 'failed' })).toBe(0);
  });

  it('lowers the score with every recorded failure and pushes a failing pattern below the threshold', () => {
    let previous = fixConfidence(SAFE_TEMPLATE);
    for (let failures = 1; failures <= 10; failures++) {
      const score = fixConfidence({ ...SAFE_TEMPLATE, failures });
      expect(score).toBeLessThan(previous);
      previous = score;
    }
    expect(fixConfidence({ ...SAFE_TEMPLATE, failures: 2 })).toBeLessThan(0.9);
  });

  it('raises the score with successes but never above 1', () => {
    const scores = [0, 10, 100, 10_000].map((successes) => fixConfidence({ ...SAFE_TEMPLATE, validation: 'passed', successes }));
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(scores[0]).toBeLessThan(scores[3] ?? 0);
    for (const score of scores) expect(score).toBeLessThanOrEqual(1);
  });

  it('lowers the score as the change grows', () => {
    const scores = [1, 2, 5, 50].map((changedLines) => fixConfidence({ ...SAFE_TEMPLATE, changedLines }));
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1] ?? 0);
  });

  it('rounds to four decimals', () => {
    const score = fixConfidence({ ...SAFE_TEMPLATE, changedLines: 7, failures: 3 });
    expect(Math.round(score * 10_000) / 10_000).toBe(score);
  });
});

describe('lower credible bound', () => {
  const uniform = { alpha: 1, beta: 1 };

  it('trusts 95 successes out of 100 more than 1 out of 1, although the raw rate says otherwise', () => {
    expect(1 / 1).toBeGreaterThan(95 / 100);
    expect(betaLowerBound(uniform, 1, 0)).toBeCloseTo(Math.sqrt(0.1), 9);
    expect(betaLowerBound(uniform, 95, 5)).toBeGreaterThan(0.9);
    const thin = fixConfidence({ ...SAFE_TEMPLATE, strategy: 'pattern-reuse', successes: 1, validation: 'passed' });
    const proven = fixConfidence({ ...SAFE_TEMPLATE, strategy: 'pattern-reuse', successes: 95, failures: 5, validation: 'passed' });
    expect(thin).toBe(0.6632);
    expect(proven).toBe(0.9054);
  });

  it('is the 10% quantile: Beta(a, 1) has the closed form 0.1^(1/a)', () => {
    expect(betaLowerBound({ alpha: 40, beta: 1 }, 0, 0)).toBeCloseTo(0.1 ** (1 / 40), 9);
    expect(betaLowerBound({ alpha: 3, beta: 1 }, 2, 0)).toBeCloseTo(0.1 ** (1 / 5), 9);
  });

  it('takes recency-weighted (fractional) counts', () => {
    const half = betaLowerBound(uniform, 0.5, 0);
    expect(half).toBeGreaterThan(betaLowerBound(uniform, 0, 0));
    expect(half).toBeLessThan(betaLowerBound(uniform, 1, 0));
  });

  it('sends an unchecked safe template fix to review after one recorded failure', () => {
    expect(fixConfidence({ ...SAFE_TEMPLATE, failures: 1 })).toBe(0.8812);
  });
});

describe('calibrated confidence', () => {
  it('maps a passing score through the calibrator but never lifts a failed validation', () => {
    const calibrate = (raw: number): number => raw / 2;
    expect(fixConfidence({ ...SAFE_TEMPLATE, validation: 'passed', calibrate })).toBe(0.4721);
    expect(fixConfidence({ ...SAFE_TEMPLATE, validation: 'failed', calibrate: () => 1 })).toBe(0);
  });
});

describe('confidence factors', () => {
  it('computes the Beta posterior mean', () => {
    expect(betaPosteriorMean({ alpha: 19, beta: 1 }, 0, 0)).toBe(0.95);
    expect(betaPosteriorMean({ alpha: 3, beta: 3 }, 4, 0)).toBe(0.7);
    expect(betaPosteriorMean({ alpha: 1, beta: 1 }, 0, 2)).toBe(0.25);
  });

  it.each([
    { verdict: 'passed' as const, factor: 1 },
    { verdict: 'unchecked' as const, factor: UNCHECKED_FACTOR },
    { verdict: 'failed' as const, factor: 0 },
  ])('validation $verdict weighs $factor', ({ verdict, factor }) => {
    expect(validationFactor(verdict)).toBe(factor);
  });

  it.each([
    { lines: 0, factor: 1 },
    { lines: 1, factor: 1 },
    { lines: 2, factor: 1 / 1.02 },
    { lines: 51, factor: 0.5 },
  ])('size factor of $lines changed lines is $factor', ({ lines, factor }) => {
    expect(sizeFactor(lines)).toBeCloseTo(factor, 12);
  });

  it('has a prior for every strategy and safety, safe never below unsafe', () => {
    for (const strategy of STRATEGIES) {
      const safe = STRATEGY_PRIORS[`${strategy}:safe`];
      const unsafe = STRATEGY_PRIORS[`${strategy}:unsafe`];
      expect(safe.alpha > 0 && safe.beta > 0 && unsafe.alpha > 0 && unsafe.beta > 0).toBe(true);
      expect(betaPosteriorMean(safe, 0, 0)).toBeGreaterThanOrEqual(betaPosteriorMean(unsafe, 0, 0));
      expect(betaPosteriorMean(unsafe, 0, 0)).toBeLessThanOrEqual(0.5);
    }
  });
});
