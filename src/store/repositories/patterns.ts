import type { Finding } from '../../domain/finding.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

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

export async function setPatternBestFix(
  db: SqlClient,
  project: ProjectRef,
  fingerprint: string,
  bestFix: { template: string; safety: 'safe' | 'unsafe' },
): Promise<void> {
  // learnedIn: the project that taught it, so projects that do not share their learning keep it to themselves.
  await db.query(`UPDATE code_roach_patterns SET best_fix = $3, updated_at = now() WHERE organization_id = $1 AND fingerprint = $2`, [
    project.organizationId,
    fingerprint,
    JSON.stringify({ ...bestFix, learnedIn: project.projectId }),
  ]);
}
