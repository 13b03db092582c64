import type { StrategyName } from './confidence.js';

/**
 * Calibration: how the confidence predicted for decided fixes compares with how they really ended.
 *
 * Predictions are grouped into CALIBRATION_BUCKETS equal-width buckets of [0, 1]. For each bucket the
 * reliability table holds the number of fixes, their mean predicted confidence and the share that
 * succeeded. The expected calibration error is the count-weighted mean gap between the two:
 *
 *   ECE = sum over buckets b of (n_b / N) * |observed_b - predicted_b|
 *
 * Once a strategy has MIN_CALIBRATION_OUTCOMES outcomes, scores are mapped through its table
 * (histogram binning, shrunk toward the raw score so a sparse bucket cannot swing it):
 *
 *   calibrated(raw) = (successes_b + m * raw) / (n_b + m),  b = bucket of raw, m = CALIBRATION_STRENGTH
 */
export const CALIBRATION_BUCKETS = 10;
export const MIN_CALIBRATION_OUTCOMES = 30;
export const CALIBRATION_STRENGTH = 10;

/** Aggregated outcomes of one bucket, as the store sums them. */
export interface BucketTally {
  readonly bucket: number;
  readonly count: number;
  readonly predictedSum: number;
  readonly successes: number;
}

export interface ReliabilityBucket {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly successes: number;
  readonly meanPredicted: number | null;
  readonly observedRate: number | null;
}

export interface ReliabilityTable {
  readonly strategy: StrategyName;
  readonly total: number;
  readonly buckets: readonly ReliabilityBucket[];
  /** Expected calibration error; null without outcomes. */
  readonly ece: number | null;
  /** Whether the scorer maps this strategy's confidence through the table. */
  readonly applied: boolean;
}

/** The bucket of a confidence value; 1.0 belongs to the top bucket. */
export function bucketOf(predicted: number): number {
  return Math.min(CALIBRATION_BUCKETS - 1, Math.max(0, Math.floor(predicted * CALIBRATION_BUCKETS)));
}

/** Tallies individual (predicted, success) pairs, the way the store's GROUP BY does. */
export function tallyOutcomes(samples: readonly { predicted: number; success: boolean }[]): BucketTally[] {
  const tallies = new Map<number, { count: number; predictedSum: number; successes: number }>();
  for (const sample of samples) {
    const b = bucketOf(sample.predicted);
    const tally = tallies.get(b) ?? { count: 0, predictedSum: 0, successes: 0 };
    tally.count += 1;
    tally.predictedSum += sample.predicted;
    tally.successes += sample.success ? 1 : 0;
    tallies.set(b, tally);
  }
  return [...tallies].map(([bucket, t]) => ({ bucket, ...t }));
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

export function reliabilityTable(strategy: StrategyName, tallies: readonly BucketTally[]): ReliabilityTable {
  const byBucket = new Map<number, BucketTally>();
  for (const tally of tallies) {
    if (!Number.isInteger(tally.bucket) || tally.bucket < 0 || tally.bucket >= CALIBRATION_BUCKETS) {
      throw new RangeError(`calibration bucket must be an integer in [0, ${CALIBRATION_BUCKETS}), got ${tally.bucket}`);
    }
    byBucket.set(tally.bucket, tally);
  }
  const total = tallies.reduce((sum, t) => sum + t.count, 0);
  let gap = 0;
  const buckets = Array.from({ length: CALIBRATION_BUCKETS }, (_, b): ReliabilityBucket => {
    const tally = byBucket.get(b);
    const count = tally?.count ?? 0;
    const successes = tally?.successes ?? 0;
    const meanPredicted = tally && count > 0 ? tally.predictedSum / count : null;
    const observedRate = count > 0 ? successes / count : null;
    if (meanPredicted !== null && observedRate !== null) gap += (count / total) * Math.abs(observedRate - meanPredicted);
    return {
      lower: b / CALIBRATION_BUCKETS,
      upper: (b + 1) / CALIBRATION_BUCKETS,
      count,
      successes,
      meanPredicted: meanPredicted === null ? null : round4(meanPredicted),
      observedRate: observedRate === null ? null : round4(observedRate),
    };
  });
  return { strategy, total, buckets, ece: total > 0 ? round4(gap) : null, applied: total >= MIN_CALIBRATION_OUTCOMES };
}

/** The calibrated mapping of a strategy's scores, or undefined while the table has too few outcomes. */
export function calibrator(table: ReliabilityTable | undefined): ((raw: number) => number) | undefined {
  if (!table?.applied) return undefined;
  return (raw) => {
    const bucket = table.buckets[bucketOf(raw)];
    if (!bucket) return raw;
    return (bucket.successes + CALIBRATION_STRENGTH * raw) / (bucket.count + CALIBRATION_STRENGTH);
  };
}
