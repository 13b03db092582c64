import { describe, expect, it } from 'vitest';
import { HEALTH_WEIGHTS, fileHealthScore } from '../../src/domain/health.js';
import { SEVERITIES } from '../../src/domain/severity.js';

describe('fileHealthScore', () => {
  it.each([
    { name: 'no issues', counts: {}, expected: 100 },
    { name: 'all counts zero', counts: { critical: 0, high: 0, medium: 0, low: 0 }, expected: 100 },
    { name: 'one critical', counts: { critical: 1 }, expected: 36.8 },
    { name: 'one high', counts: { high: 1 }, expected: 67 },
    { name: 'one medium', counts: { medium: 1 }, expected: 85.2 },
    { name: 'one low', counts: { low: 1 }, expected: 96.1 },
    { name: 'one of each', counts: { critical: 1, high: 1, medium: 1, low: 1 }, expected: 20.2 },
    { name: 'twenty-five lows weigh as one critical', counts: { low: 25 }, expected: 36.8 },
  ])('$name -> $expected', ({ counts, expected }) => {
    expect(fileHealthScore(counts)).toBe(expected);
  });

  it('orders severities: one issue of a worse severity costs more', () => {
    const scores = SEVERITIES.map((severity) => fileHealthScore({ [severity]: 1 }));
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1] ?? 0);
    for (let i = 1; i < SEVERITIES.length; i++) {
      expect(HEALTH_WEIGHTS[SEVERITIES[i] ?? 'low']).toBeLessThan(HEALTH_WEIGHTS[SEVERITIES[i - 1] ?? 'critical']);
    }
  });

  it('keeps ranking many issues below fewer ones, each further issue costing less, never below 0', () => {
    const counts = [0, 1, 2, 10, 20, 40];
    const scores = counts.map((medium) => fileHealthScore({ medium }));
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1] ?? 0);
    expect(100 - fileHealthScore({ medium: 1 })).toBeGreaterThan(fileHealthScore({ medium: 1 }) - fileHealthScore({ medium: 2 }));
    expect(fileHealthScore({ critical: 1000 })).toBe(0);
    expect(fileHealthScore({ critical: 1000 })).toBeGreaterThanOrEqual(0);
  });

  it('rounds to one decimal', () => {
    const score = fileHealthScore({ high: 3, low: 2 });
    expect(Math.round(score * 10) / 10).toBe(score);
  });
});
