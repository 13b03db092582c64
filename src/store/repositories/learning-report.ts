import type { BucketTally, ReliabilityTable } from '../../domain/calibration.js';
import { CALIBRATION_BUCKETS, reliabilityTable } from '../../domain/calibration.js';
import type { StrategyName } from '../../domain/confidence.js';
import { STRATEGY_NAMES } from '../../domain/confidence.js';
import { patternBound } from '../../domain/pattern-learning.js';
import type { AppliedFixFile, LearningReport, PatternLine } from '../../learning/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { IN_SCOPE, scopeTallies, sharesPatterns } from './learning.js';
import { llmSpend } from './llm-calls.js';

/**
 * Reliability tables per strategy. Only decided fixes count: a fix that failed validation was scored
 * 0 by construction, so it says nothing about how well confidence predicts.
 */
export async function calibration(db: SqlClient, project: ProjectRef): Promise<ReliabilityTable[]> {
  const share = await sharesPatterns(db, project);
  const rows = await db.query<{ strategy: StrategyName; bucket: number; n: number | string; psum: number | string; ok: number | string }>(
    `SELECT o.strategy, least($4::int - 1, greatest(0, floor(o.confidence * $4::int)))::int AS bucket,
            count(*) AS n, sum(o.confidence) AS psum, count(*) FILTER (WHERE o.success) AS ok
     FROM code_roach_fix_outcomes o WHERE ${IN_SCOPE} AND o.outcome <> 'failed_validation'
     GROUP BY 1, 2`,
    [project.organizationId, project.projectId, share, CALIBRATION_BUCKETS],
  );
  const byStrategy = new Map<StrategyName, BucketTally[]>();
  for (const row of rows) {
    const tally = { bucket: Number(row.bucket), count: Number(row.n), predictedSum: Number(row.psum), successes: Number(row.ok) };
    byStrategy.set(row.strategy, [...(byStrategy.get(row.strategy) ?? []), tally]);
  }
  return STRATEGY_NAMES.filter((name) => byStrategy.has(name)).map((name) => reliabilityTable(name, byStrategy.get(name) ?? []));
}

/** What `roach stats` shows: the project's scope of learning, its best and deprecated patterns, outcomes and calibration. */
export async function learningReport(db: SqlClient, project: ProjectRef, limit: number): Promise<LearningReport> {
  const share = await sharesPatterns(db, project);
  const tallies = await scopeTallies(db, project, share, null);
  const states = await db.query<{ fingerprint: string; rule_id: string; occurrence_count: number; deprecated: boolean }>(
    `SELECT p.fingerprint, p.rule_id, p.occurrence_count, CASE WHEN $3::boolean THEN p.deprecated ELSE coalesce(pp.deprecated, false) END AS deprecated
     FROM code_roach_patterns p LEFT JOIN code_roach_project_patterns pp ON pp.project_id = $2 AND pp.fingerprint = p.fingerprint
     WHERE p.organization_id = $1`,
    [project.organizationId, project.projectId, share],
  );
  const byFingerprint = new Map(states.map((row) => [row.fingerprint, row]));
  const lines: PatternLine[] = tallies.map((t) => ({
    fingerprint: t.fingerprint,
    ruleId: byFingerprint.get(t.fingerprint)?.rule_id ?? '?',
    occurrences: Number(byFingerprint.get(t.fingerprint)?.occurrence_count ?? 0),
    successes: t.successes,
    failures: t.failures,
    lowerBound: patternBound(t.weightedSuccesses, t.weightedFailures),
    deprecated: byFingerprint.get(t.fingerprint)?.deprecated ?? false,
  }));
  const ranked = [...lines].sort((a, b) => b.lowerBound - a.lowerBound || a.fingerprint.localeCompare(b.fingerprint));
  const outcomes = await db.query<{ strategy: string; outcome: string; n: number | string }>(
    `SELECT o.strategy, o.outcome, count(*) AS n FROM code_roach_fix_outcomes o WHERE ${IN_SCOPE} GROUP BY 1, 2 ORDER BY 1, 2`,
    [project.organizationId, project.projectId, share],
  );
  const history = await db.query<{ fingerprint: string; event: string; detail: string; at: string }>(
    `SELECT fingerprint, event, detail, created_at::text AS at FROM code_roach_pattern_history
     WHERE organization_id = $1 AND (CASE WHEN $3::boolean THEN project_id IS NULL ELSE project_id = $2::uuid END)
     ORDER BY id DESC LIMIT $4`,
    [project.organizationId, project.projectId, share, limit],
  );
  return {
    scope: share ? 'organization' : 'project',
    patterns: { known: states.length, withOutcomes: lines.length, deprecated: states.filter((s) => s.deprecated).length },
    top: ranked.filter((line) => !line.deprecated).slice(0, limit),
    deprecated: ranked.filter((line) => line.deprecated).slice(0, limit),
    outcomes: outcomes.map((row) => ({ strategy: row.strategy, outcome: row.outcome, count: Number(row.n) })),
    calibration: await calibration(db, project),
    history,
    generatedFixes: await llmSpend(db, project),
  };
}

/** Applied fixes on these files that are still counted as verified (or have no outcome yet). */
export async function appliedFixFiles(db: SqlClient, project: ProjectRef, paths: readonly string[]): Promise<AppliedFixFile[]> {
  if (paths.length === 0) return [];
  const rows = await db.query<{ id: string; file_path: string; edits: AppliedFixFile['edits']; bytes: Uint8Array; fixed_sha256: string }>(
    `SELECT f.id, ff.file_path, f.edits, b.bytes, ff.fixed_sha256
     FROM fixes f
     JOIN fix_files ff ON ff.fix_id = f.id
     JOIN code_roach_blobs b ON b.project_id = ff.project_id AND b.sha256 = ff.original_sha256
     LEFT JOIN code_roach_fix_outcomes o ON o.fix_id = f.id
     WHERE f.project_id = $1 AND f.status = 'applied' AND ff.file_path = ANY($2::text[]) AND (o.outcome IS NULL OR o.outcome = 'verified')
     ORDER BY f.applied_at, f.id`,
    [project.projectId, paths],
  );
  return rows.map((row) => ({
    fixId: row.id,
    path: row.file_path,
    edits: row.edits.filter((edit) => edit.file === row.file_path),
    originalBytes: new Uint8Array(row.bytes),
    fixedSha256: row.fixed_sha256,
  }));
}
