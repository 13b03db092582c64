import { describe, expect, it } from 'vitest';
import { CALIBRATION_STRENGTH, MIN_CALIBRATION_OUTCOMES, bucketOf, calibrator, reliabilityTable, tallyOutcomes } from '../../src/domain/calibration.js';

describe('reliability table', () => {
  it('buckets predictions, with 1.0 in the top bucket', () => {
    expect([0, 0.05, 0.1, 0.95, 1].map(bucketOf)).toEqual([0, 0, 1, 9, 9]);
  });

  it('computes per-bucket rates and the expected calibration error', () => {
    // Bucket 9: four fixes predicted 0.95, three succeeded (gap 0.2). Bucket 5: two at 0.5, one succeeded (gap 0).
    const samples = [
      ...[true, true, true, false].map((success) => ({ predicted: 0.95, success })),
      { predicted: 0.5, success: true },
      { predicted: 0.5, success: false },
    ];
    const table = reliabilityTable('rule-template', tallyOutcomes(samples));
    expect(table.total).toBe(6);
    expect(table.buckets[9]).toEqual({ lower: 0.9, upper: 1, count: 4, successes: 3, meanPredicted: 0.95, observedRate: 0.75 });
    expect(table.buckets[5]).toMatchObject({ count: 2, successes: 1, meanPredicted: 0.5, observedRate: 0.5 });
    expect(table.buckets[0]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
    expect(table.ece).toBeCloseTo((4 / 6) * 0.2, 4);
    expect(table.applied).toBe(false);
  });

  it('has no ECE without outcomes and refuses buckets out of range', () => {
    expect(reliabilityTable('llm', []).ece).toBeNull();
    expect(() => reliabilityTable('llm', [{ bucket: 10, count: 1, predictedSum: 1, successes: 1 }])).toThrow(RangeError);
  });
});

describe('calibrator', () => {
  it('is the identity (undefined) until the strategy has enough outcomes', () => {
    const few = tallyOutcomes(Array.from({ length: MIN_CALIBRATION_OUTCOMES - 1 }, () => ({ predicted: 0.95, success: false })));
    expect(calibrator(reliabilityTable('rule-template', few))).toBeUndefined();
    expect(calibrator(undefined)).toBeUndefined();
  });

  it('pulls an over-confident strategy down toward what really happened', () => {
    // 40 fixes predicted 0.95, only 20 succeeded: a new 0.95 maps to (20 + 10 * 0.95) / (40 + 10).
    const samples = Array.from({ length: 40 }, (_, i) => ({ predicted: 0.95, success: i % 2 === 0 }));
    const map = calibrator(reliabilityTable('rule-template', tallyOutcomes(samples)));
    expect(map).toBeDefined();
    expect(map?.(0.95)).toBeCloseTo((20 + CALIBRATION_STRENGTH * 0.95) / (40 + CALIBRATION_STRENGTH), 12);
    // An empty bucket keeps the raw score.
    expect(map?.(0.35)).toBeCloseTo(0.35, 12);
  });
});
