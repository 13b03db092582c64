import { describe, expect, it } from 'vitest';
import { betaQuantile, logGamma, regularizedIncompleteBeta } from '../../src/domain/beta.js';

describe('logGamma', () => {
  it.each([
    { x: 1, expected: 0 },
    { x: 5, expected: Math.log(24) },
    { x: 0.5, expected: Math.log(Math.sqrt(Math.PI)) },
    { x: 171, expected: 706.5730622457874 },
  ])('ln Γ($x)', ({ x, expected }) => {
    expect(logGamma(x)).toBeCloseTo(expected, 8);
  });

  it('refuses x <= 0', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('regularizedIncompleteBeta', () => {
  it.each([
    // Closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b, I_x(2, 3) at 1/2 = 11/16.
    { x: 0.3, a: 1, b: 1, expected: 0.3 },
    { x: 0.9, a: 7, b: 1, expected: 0.9 ** 7 },
    { x: 0.2, a: 1, b: 4, expected: 1 - 0.8 ** 4 },
    { x: 0.5, a: 2, b: 3, expected: 11 / 16 },
    { x: 0.5, a: 30, b: 30, expected: 0.5 },
    { x: 0.25, a: 0.5, b: 0.5, expected: (2 / Math.PI) * Math.asin(Math.sqrt(0.25)) },
  ])('I_$x($a, $b)', ({ x, a, b, expected }) => {
    expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(expected, 10);
  });

  it('is 0 and 1 at the ends and refuses bad shapes', () => {
    expect(regularizedIncompleteBeta(0, 2, 2)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 2)).toBe(1);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/shape/);
    expect(() => regularizedIncompleteBeta(0.5, 1, Number.NaN)).toThrow(/shape/);
  });
});

describe('betaQuantile', () => {
  it.each([
    { p: 0.1, a: 40, b: 1, expected: 0.1 ** (1 / 40) },
    { p: 0.1, a: 0.5, b: 0.5, expected: Math.sin((Math.PI * 0.1) / 2) ** 2 },
    { p: 0.5, a: 12, b: 12, expected: 0.5 },
    { p: 0.05, a: 1, b: 3, expected: 1 - 0.95 ** (1 / 3) },
  ])('q($p; $a, $b)', ({ p, a, b, expected }) => {
    expect(betaQuantile(p, a, b)).toBeCloseTo(expected, 10);
  });

  it('inverts the CDF for large counts', () => {
    const q = betaQuantile(0.1, 950, 50);
    expect(regularizedIncompleteBeta(q, 950, 50)).toBeCloseTo(0.1, 9);
  });

  it('refuses a probability outside [0, 1]', () => {
    expect(() => betaQuantile(1.5, 1, 1)).toThrow(/0 <= p <= 1/);
  });
});
