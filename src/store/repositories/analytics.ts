import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';

export interface AnalyticsRange {
  readonly from: string;
  readonly to: string;
}

export interface ProjectAnalytics {
  /** Open issues per severity after each crawl in the range. */
  readonly issues: { readonly at: string; readonly crawlId: string | null; readonly bySeverity: Record<string, number>; readonly total: number }[];
  /** Fixes decided per day, by how they ended. */
  readonly fixes: { readonly day: string; readonly status: string; readonly count: number }[];
  /** Mean file health and the worst file's score after each crawl. */
  readonly health: { readonly at: string; readonly crawlId: string | null; readonly mean: number; readonly worst: number; readonly files: number }[];
  /** Per strategy: fixes that ended applied (and stayed) against those that failed, were rejected or rolled back. */
  readonly strategies: { readonly strategy: string; readonly succeeded: number; readonly failed: number; readonly successRate: number | null }[];
}

/** Time series of one project for dashboards, each from one grouped query. */
export async function projectAnalytics(db: SqlClient, project: ProjectRef, range: AnalyticsRange): Promise<ProjectAnalytics> {
  const issues = await db.query<{ at: string; crawl_id: string | null; value: { openIssues?: { total?: number; bySeverity?: Record<string, number> } } }>(
    `SELECT recorded_at::text AS at, crawl_id, metric_value AS value FROM code_roach_analytics
     WHERE project_id = $1 AND metric_type = 'crawl_summary' AND recorded_at >= $2::timestamptz AND recorded_at < $3::timestamptz
     ORDER BY recorded_at`,
    [project.projectId, range.from, range.to],
  );
  const fixes = await db.query<{ day: string; status: string; n: string | number }>(
    `SELECT date_trunc('day', coalesce(decided_at, applied_at, created_at))::date::text AS day, status, count(*) AS n FROM fixes
     WHERE project_id = $1 AND coalesce(decided_at, applied_at, created_at) >= $2::timestamptz AND coalesce(decided_at, applied_at, created_at) < $3::timestamptz
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [project.projectId, range.from, range.to],
  );
  const health = await db.query<{ at: string; crawl_id: string | null; mean: number; worst: number; files: string | number }>(
    `SELECT min(recorded_at)::text AS at, crawl_id, avg(health_score) AS mean, min(health_score) AS worst, count(*) AS files
     FROM code_roach_file_health WHERE project_id = $1 AND recorded_at >= $2::timestamptz AND recorded_at < $3::timestamptz
     GROUP BY crawl_id ORDER BY 1`,
    [project.projectId, range.from, range.to],
  );
  const strategies = await db.query<{ strategy: string; ok: string | number; bad: string | number }>(
    `SELECT strategy,
            count(*) FILTER (WHERE status = 'applied') AS ok,
            count(*) FILTER (WHERE status IN ('failed_validation', 'failed_apply', 'rejected', 'rolled_back')) AS bad
     FROM fixes WHERE project_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
     GROUP BY strategy ORDER BY strategy`,
    [project.projectId, range.from, range.to],
  );
  return {
    issues: issues.map((row) => ({
      at: row.at,
      crawlId: row.crawl_id,
      bySeverity: row.value.openIssues?.bySeverity ?? {},
      total: row.value.openIssues?.total ?? 0,
    })),
    fixes: fixes.map((row) => ({ day: row.day, status: row.status, count: Number(row.n) })),
    health: health.map((row) => ({ at: row.at, crawlId: row.crawl_id, mean: Math.round(Number(row.mean) * 10) / 10, worst: Number(row.worst), files: Number(row.files) })),
    strategies: strategies.map((row) => {
      const succeeded = Number(row.ok);
      const failed = Number(row.bad);
      return { strategy: row.strategy, succeeded, failed, successRate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null };
    }),
  };
}

/** The latest health of each file of the project, worst first (keyset on score, then path). */
export async function latestFileHealth(db: SqlClient, project: ProjectRef, limit: number): Promise<{ filePath: string; healthScore: number; issueCount: number; recordedAt: string }[]> {
  const rows = await db.query<{ file_path: string; health_score: number; issue_count: number; recorded_at: string }>(
    `SELECT DISTINCT ON (file_path) file_path, health_score, issue_count, recorded_at::text AS recorded_at
     FROM code_roach_file_health WHERE project_id = $1 ORDER BY file_path, recorded_at DESC`,
    [project.projectId],
  );
  return rows
    .map((r) => ({ filePath: r.file_path, healthScore: Number(r.health_score), issueCount: Number(r.issue_count), recordedAt: r.recorded_at }))
    .sort((x, y) => x.healthScore - y.healthScore || x.filePath.localeCompare(y.filePath))
    .slice(0, limit);
}

export interface PatternRow {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly occurrences: number;
  readonly successes: number;
  readonly failures: number;
  readonly confidence: number;
  readonly deprecated: boolean;
  readonly hasLearnedFix: boolean;
}

/** An organization's fix patterns, most seen first. */
export async function patterns(db: SqlClient, organizationId: string, limit: number): Promise<PatternRow[]> {
  return db.query<PatternRow>(
    `SELECT fingerprint, rule_id AS "ruleId", occurrence_count AS occurrences, success_count AS successes, failure_count AS failures,
            confidence, deprecated, best_fix IS NOT NULL AS "hasLearnedFix"
     FROM code_roach_patterns WHERE organization_id = $1 ORDER BY occurrence_count DESC, fingerprint LIMIT $2`,
    [organizationId, limit],
  );
}
