import type { Attribution, IssueLocation, ResolvedLocation } from '../../attribution/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

export async function pendingAttribution(tx: SqlClient, project: ProjectRef, files: readonly string[]): Promise<{ introduced: IssueLocation[]; fixed: ResolvedLocation[] }> {
  const introduced: IssueLocation[] = [];
  for (const chunk of chunks(files)) {
    introduced.push(
      ...(await tx.query<IssueLocation>(
        `SELECT id, file_path AS "filePath", line, end_line AS "endLine" FROM code_roach_issues
         WHERE project_id = $1 AND status = 'open' AND introduced_by IS NULL AND file_path = ANY($2::text[])`,
        [project.projectId, chunk],
      )),
    );
  }
  // A fix Code Roach applied names its decider; any other resolution is looked up in git.
  const fixed = await tx.query<ResolvedLocation & { resolvedAt: Date | string }>(
    `SELECT i.id, i.file_path AS "filePath", i.line, i.end_line AS "endLine", i.resolved_at AS "resolvedAt",
            CASE WHEN i.resolved_by = 'fix' THEN coalesce(f.decided_by, 'auto') END AS "codeRoachActor"
     FROM code_roach_issues i
     LEFT JOIN LATERAL (SELECT decided_by FROM fixes WHERE issue_id = i.id AND status = 'applied' ORDER BY applied_at DESC NULLS LAST LIMIT 1) f ON true
     WHERE i.project_id = $1 AND i.status = 'resolved' AND NOT i.fix_attributed`,
    [project.projectId],
  );
  return { introduced, fixed: fixed.map((row) => ({ ...row, resolvedAt: new Date(row.resolvedAt).toISOString() })) };
}

export async function recordAttribution(tx: SqlClient, project: ProjectRef, introduced: readonly Attribution[], fixed: readonly Attribution[]): Promise<void> {
  for (const chunk of chunks(introduced)) {
    await tx.query(
      `UPDATE code_roach_issues i SET introduced_by = a.email, introduced_name = a.name, introduced_commit = a.commit, introduced_at = a.at
       FROM jsonb_to_recordset($2::jsonb) AS a("issueId" uuid, email text, name text, commit text, at timestamptz)
       WHERE i.project_id = $1 AND i.id = a."issueId"`,
      [project.projectId, JSON.stringify(chunk)],
    );
  }
  for (const chunk of chunks(fixed)) {
    await tx.query(
      `UPDATE code_roach_issues i SET fixed_by = a.email, fixed_name = a.name, fixed_commit = a.commit, fixed_at = coalesce(a.at, i.resolved_at), fix_attributed = true
       FROM jsonb_to_recordset($2::jsonb) AS a("issueId" uuid, email text, name text, commit text, at timestamptz)
       WHERE i.project_id = $1 AND i.id = a."issueId" AND i.status = 'resolved'`,
      [project.projectId, JSON.stringify(chunk)],
    );
  }
}

/** Which issues the aggregates read: one organization, optionally one project, a time window. */
export interface DeveloperScope {
  readonly organizationId: string;
  readonly projectId: string | null;
  readonly from: string;
  readonly to: string;
}

export interface AuthorStats {
  readonly author: string;
  readonly name: string | null;
  readonly introduced: number;
  readonly fixed: number;
  /** Introduced in the window and still open. */
  readonly open: number;
  readonly introducedBySeverity: { readonly critical: number; readonly high: number; readonly medium: number; readonly low: number };
}

const SCOPED = `scoped AS (
  SELECT i.* FROM code_roach_issues i JOIN projects p ON p.id = i.project_id
  WHERE p.organization_id = $1 AND ($2::uuid IS NULL OR i.project_id = $2::uuid))`;
const params = (s: DeveloperScope): unknown[] => [s.organizationId, s.projectId, s.from, s.to];

/** Per author: issues introduced (by commit time) and fixed (by fix time) in the window. */
export async function authorStats(tx: SqlClient, scope: DeveloperScope, author: string | null): Promise<AuthorStats[]> {
  const rows = await tx.query<{ author: string; name: string | null; introduced: number; fixed: number; open: number; critical: number; high: number; medium: number; low: number }>(
    `WITH ${SCOPED},
     introduced AS (
       SELECT introduced_by AS author, max(introduced_name) AS name, count(*)::int AS introduced,
              count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE error_severity = 'critical')::int AS critical, count(*) FILTER (WHERE error_severity = 'high')::int AS high,
              count(*) FILTER (WHERE error_severity = 'medium')::int AS medium, count(*) FILTER (WHERE error_severity = 'low')::int AS low
       FROM scoped WHERE introduced_by IS NOT NULL AND introduced_at >= $3 AND introduced_at < $4 GROUP BY introduced_by),
     fixed AS (
       SELECT fixed_by AS author, max(fixed_name) AS name, count(*)::int AS fixed
       FROM scoped WHERE status = 'resolved' AND fixed_by IS NOT NULL AND fixed_at >= $3 AND fixed_at < $4 GROUP BY fixed_by)
     SELECT coalesce(i.author, f.author) AS author, coalesce(i.name, f.name) AS name, coalesce(i.introduced, 0) AS introduced, coalesce(f.fixed, 0) AS fixed,
            coalesce(i.open, 0) AS open, coalesce(i.critical, 0) AS critical, coalesce(i.high, 0) AS high, coalesce(i.medium, 0) AS medium, coalesce(i.low, 0) AS low
     FROM introduced i FULL JOIN fixed f ON f.author = i.author
     WHERE $5::text IS NULL OR coalesce(i.author, f.author) = $5
     ORDER BY coalesce(i.introduced, 0) + coalesce(f.fixed, 0) DESC, 1`,
    [...params(scope), author],
  );
  return rows.map(({ critical, high, medium, low, ...row }) => ({ ...row, introducedBySeverity: { critical, high, medium, low } }));
}

export interface WeekRow {
  readonly week: string;
  readonly introduced: number;
  readonly fixed: number;
}

/** Introduced and fixed per ISO week of the window, for the team trend. */
export async function weeklyTrend(tx: SqlClient, scope: DeveloperScope): Promise<WeekRow[]> {
  const rows = await tx.query<{ week: Date | string; introduced: number; fixed: number }>(
    `WITH ${SCOPED},
     events AS (
       SELECT date_trunc('week', introduced_at) AS week, 1 AS introduced, 0 AS fixed FROM scoped
       WHERE introduced_by IS NOT NULL AND introduced_at >= $3 AND introduced_at < $4
       UNION ALL
       SELECT date_trunc('week', fixed_at), 0, 1 FROM scoped
       WHERE status = 'resolved' AND fixed_by IS NOT NULL AND fixed_at >= $3 AND fixed_at < $4)
     SELECT week, sum(introduced)::int AS introduced, sum(fixed)::int AS fixed FROM events GROUP BY week ORDER BY week`,
    params(scope),
  );
  return rows.map((row) => ({ ...row, week: new Date(row.week).toISOString() }));
}

export interface AuthorRuleRow {
  readonly author: string;
  readonly ruleId: string;
  readonly category: string;
  readonly introduced: number;
  readonly open: number;
  readonly worstSeverity: string;
}

/** Per author and rule: how often they introduced it in the window (recommendations read the top ones). */
export async function authorRules(tx: SqlClient, scope: DeveloperScope, author: string | null): Promise<AuthorRuleRow[]> {
  return tx.query<AuthorRuleRow>(
    `WITH ${SCOPED}
     SELECT introduced_by AS author, error_type AS "ruleId", category, count(*)::int AS introduced,
            count(*) FILTER (WHERE status = 'open')::int AS open,
            (array_agg(error_severity ORDER BY array_position(ARRAY['critical','high','medium','low'], error_severity)))[1] AS "worstSeverity"
     FROM scoped WHERE introduced_by IS NOT NULL AND introduced_at >= $3 AND introduced_at < $4 AND ($5::text IS NULL OR introduced_by = $5)
     GROUP BY introduced_by, error_type, category
     ORDER BY introduced_by, count(*) DESC, error_type`,
    [...params(scope), author],
  );
}

/** The latest attribution outcome per project in scope (recorded by each crawl). */
export async function attributionStates(tx: SqlClient, organizationId: string, projectId: string | null): Promise<{ available: boolean; reason: string | null }[]> {
  return tx.query<{ available: boolean; reason: string | null }>(
    `SELECT DISTINCT ON (a.project_id) (a.metric_value->>'available')::boolean AS available, a.metric_value->>'reason' AS reason
     FROM code_roach_analytics a JOIN projects p ON p.id = a.project_id
     WHERE p.organization_id = $1 AND ($2::uuid IS NULL OR a.project_id = $2::uuid) AND a.metric_type = 'attribution'
     ORDER BY a.project_id, a.recorded_at DESC`,
    [organizationId, projectId],
  );
}
