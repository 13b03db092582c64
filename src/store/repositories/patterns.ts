import type { Finding } from '../../domain/finding.js';
import type { PatternStats, ProjectRef } from '../../pipeline/ports.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

interface PatternRow {
  fingerprint: string;
  success_count: number;
  failure_count: number;
  deprecated: boolean;
  best_fix: PatternStats['bestFix'];
}

export async function patternStats(db: SqlClient, project: ProjectRef, fingerprints: readonly string[]): Promise<Map<string, PatternStats>> {
  const out = new Map<string, PatternStats>();
  for (const chunk of chunks(fingerprints)) {
    const rows = await db.query<PatternRow>(
      `SELECT fingerprint, success_count, failure_count, deprecated, best_fix FROM code_roach_patterns
       WHERE organization_id = $1 AND fingerprint = ANY($2::text[])`,
      [project.organizationId, chunk],
    );
    for (const row of rows) {
      out.set(row.fingerprint, {
        fingerprint: row.fingerprint,
        successes: row.success_count,
        failures: row.failure_count,
        deprecated: row.deprecated,
        bestFix: row.best_fix,
      });
    }
  }
  return out;
}

/** Counts each finding once per pattern; a pattern row is created on first sight. */
export async function recordPatternOccurrences(db: SqlClient, project: ProjectRef, findings: readonly Finding[]): Promise<void> {
  const perPattern = new Map<string, { rule: string; shape: string; n: number }>();
  for (const finding of findings) {
    const entry = perPattern.get(finding.patternFingerprint) ?? { rule: finding.ruleId, shape: finding.shape, n: 0 };
    entry.n += 1;
    perPattern.set(finding.patternFingerprint, entry);
  }
  const rows = [...perPattern].map(([fp, entry]) => ({ fp, rule: entry.rule, pattern: { ruleId: entry.rule, shape: entry.shape }, n: entry.n }));
  for (const chunk of chunks(rows)) {
    await db.query(
      `INSERT INTO code_roach_patterns (organization_id, fingerprint, rule_id, error_pattern, occurrence_count, confidence)
       SELECT $1, r.fp, r.rule, r.pattern, r.n, 0.5 FROM jsonb_to_recordset($2::jsonb) AS r(fp text, rule text, pattern jsonb, n integer)
       ON CONFLICT (organization_id, fingerprint) DO UPDATE SET
         occurrence_count = code_roach_patterns.occurrence_count + EXCLUDED.occurrence_count, updated_at = now()`,
      [project.organizationId, JSON.stringify(chunk)],
    );
  }
}

/** One outcome; confidence is kept as the Beta(1,1) posterior mean until learning refines it. */
export async function recordPatternOutcome(db: SqlClient, project: ProjectRef, fingerprint: string, success: boolean): Promise<void> {
  await db.query(
    `UPDATE code_roach_patterns SET
       success_count = success_count + CASE WHEN $3 THEN 1 ELSE 0 END,
       failure_count = failure_count + CASE WHEN $3 THEN 0 ELSE 1 END,
       confidence = (success_count + CASE WHEN $3 THEN 1 ELSE 0 END + 1.0) / (success_count + failure_count + 3.0),
       updated_at = now()
     WHERE organization_id = $1 AND fingerprint = $2`,
    [project.organizationId, fingerprint, success],
  );
}

export async function setPatternBestFix(
  db: SqlClient,
  project: ProjectRef,
  fingerprint: string,
  bestFix: { template: string; safety: 'safe' | 'unsafe' },
): Promise<void> {
  await db.query(`UPDATE code_roach_patterns SET best_fix = $3, updated_at = now() WHERE organization_id = $1 AND fingerprint = $2`, [
    project.organizationId,
    fingerprint,
    JSON.stringify(bestFix),
  ]);
}
