import type { ReliabilityTable } from '../domain/calibration.js';
import { MIN_CALIBRATION_OUTCOMES } from '../domain/calibration.js';
import type { LearningReport, PatternLine } from '../learning/ports.js';

const fixed = (value: number | null, digits = 2): string => (value === null ? '-' : value.toFixed(digits));

function patternLines(lines: readonly PatternLine[]): string[] {
  if (lines.length === 0) return ['  (none)'];
  return lines.map(
    (p) =>
      `  ${fixed(p.lowerBound, 3)}  ${String(p.successes).padStart(4)} ok ${String(p.failures).padStart(4)} failed ${String(p.occurrences).padStart(5)} seen  ${p.ruleId}  ${p.fingerprint.slice(0, 12)}`,
  );
}

function calibrationLines(table: ReliabilityTable): string[] {
  const state = table.applied ? 'applied to new scores' : `not applied yet (${table.total}/${MIN_CALIBRATION_OUTCOMES} decided fixes)`;
  const rows = table.buckets
    .filter((b) => b.count > 0)
    .map((b) => `    ${b.lower.toFixed(1)}-${b.upper.toFixed(1)}  ${String(b.count).padStart(5)}  ${fixed(b.meanPredicted).padStart(9)}  ${fixed(b.observedRate).padStart(8)}`);
  return [
    `  ${table.strategy}: ${table.total} decided fixes, ECE ${fixed(table.ece, 3)}, ${state}`,
    '    bucket       n  predicted  observed',
    ...rows,
  ];
}

/** `roach stats` as text: what the project has learned, and how well its confidence predicts outcomes. */
export function formatLearningReport(report: LearningReport): string {
  const scope = report.scope === 'organization' ? "the organization's shared pool (learning.shareAcrossProjects)" : "this project's own outcomes";
  const byStrategy = new Map<string, string[]>();
  for (const row of report.outcomes) byStrategy.set(row.strategy, [...(byStrategy.get(row.strategy) ?? []), `${row.outcome} ${row.count}`]);
  return [
    `Learning from ${scope}.`,
    `Patterns: ${report.patterns.known} known, ${report.patterns.withOutcomes} with outcomes, ${report.patterns.deprecated} deprecated.`,
    '',
    'Top patterns (lower credible bound, outcomes, occurrences, rule, fingerprint):',
    ...patternLines(report.top),
    '',
    'Deprecated patterns (not auto-applied until a review approval restores them):',
    ...patternLines(report.deprecated),
    '',
    'Outcomes per strategy:',
    ...(byStrategy.size === 0 ? ['  (none yet)'] : [...byStrategy].map(([strategy, parts]) => `  ${strategy}: ${parts.join(', ')}`)),
    '',
    'Calibration (predicted confidence of decided fixes against their outcomes):',
    ...(report.calibration.length === 0 ? ['  (no decided fixes yet)'] : report.calibration.flatMap(calibrationLines)),
    '',
    'Recent pattern history:',
    ...(report.history.length === 0 ? ['  (none)'] : report.history.map((h) => `  ${h.at.slice(0, 19)}  ${h.fingerprint.slice(0, 12)}  ${h.event}: ${h.detail}`)),
    '',
  ].join('\n');
}
