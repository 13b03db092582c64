import type { Severity } from './severity.js';

/** How much one open issue of each severity weighs against a file's health. */
export const HEALTH_WEIGHTS: Readonly<Record<Severity, number>> = Object.freeze({ critical: 25, high: 10, medium: 4, low: 1 });
const HEALTH_SCALE = 25;

/**
 * File health in 0..100: 100 * exp(-weighted / 25), where weighted sums HEALTH_WEIGHTS over open
 * issues. One critical issue gives 36.8, one low 96.1; it never goes negative and each further
 * issue costs less, so a file with 40 issues still ranks below one with 20.
 */
export function fileHealthScore(counts: Readonly<Partial<Record<Severity, number>>>): number {
  let weighted = 0;
  for (const [severity, weight] of Object.entries(HEALTH_WEIGHTS) as [Severity, number][]) weighted += weight * (counts[severity] ?? 0);
  return Math.round(1000 * Math.exp(-weighted / HEALTH_SCALE)) / 10;
}
