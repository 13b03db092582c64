import { RoachError } from '../../domain/errors.js';
import type { Finding, FindingTrace } from '../../domain/finding.js';
import type { Category, Severity } from '../../domain/severity.js';
import type { ReportedIssue } from '../../crawl/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { StoredIssue } from '../../fixes/ports.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

export async function upsertIssues(db: SqlClient, project: ProjectRef, crawlId: string, findings: readonly Finding[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const chunk of chunks(findings)) {
    const rows = await db.query<{ id: string; fingerprint: string }>(
      `INSERT INTO code_roach_issues (project_id, fingerprint, pattern_fingerprint, file_path, line, column_number, end_line,
         end_column, error_type, error_message, error_severity, category, cwe, snippet, first_seen_crawl_id, last_seen_crawl_id, trace, engines)
       SELECT $1, r.fp, r.pfp, r.file, r.line, r.col, r.eline, r.ecol, r.rule, r.msg, r.sev, r.cat, r.cwe, r.snip, $2, $2, r.trace,
         ARRAY(SELECT jsonb_array_elements_text(r.engines))
       FROM jsonb_to_recordset($3::jsonb) AS r(fp text, pfp text, file text, line integer, col integer, eline integer,
         ecol integer, rule text, msg text, sev text, cat text, cwe integer, snip text, trace jsonb, engines jsonb)
       ON CONFLICT (project_id, fingerprint) DO UPDATE SET
         line = EXCLUDED.line, column_number = EXCLUDED.column_number, end_line = EXCLUDED.end_line,
         end_column = EXCLUDED.end_column, error_message = EXCLUDED.error_message, error_severity = EXCLUDED.error_severity,
         snippet = EXCLUDED.snippet, last_seen_crawl_id = EXCLUDED.last_seen_crawl_id, updated_at = now(), trace = EXCLUDED.trace, engines = EXCLUDED.engines,
         status = 'open', resolved_at = NULL, resolved_by = NULL
       RETURNING id, fingerprint`,
      [
        project.projectId,
        crawlId,
        JSON.stringify(
          chunk.map((f) => ({
            fp: f.fingerprint,
            pfp: f.patternFingerprint,
            file: f.file,
            line: f.range.startLine + 1,
            col: f.range.startColumn + 1,
            eline: f.range.endLine + 1,
            ecol: f.range.endColumn + 1,
            rule: f.ruleId,
            msg: f.message,
            sev: f.severity,
            cat: f.category,
            cwe: f.cwe,
            snip: f.snippet,
            trace: f.trace ?? null,
            engines: f.engines ?? [],
          })),
        ),
      ],
    );
    for (const row of rows) ids.set(row.fingerprint, row.id);
  }
  return ids;
}

export async function resolveMissingIssues(db: SqlClient, project: ProjectRef, crawlId: string, analyzedFiles: readonly string[]): Promise<number> {
  let resolved = 0;
  for (const chunk of chunks(analyzedFiles)) {
    const rows = await db.query(
      `UPDATE code_roach_issues SET status = 'resolved', resolved_at = now(), resolved_by = 'crawl', updated_at = now()
       WHERE project_id = $1 AND status = 'open' AND file_path = ANY($2::text[])
         AND last_seen_crawl_id IS DISTINCT FROM $3
       RETURNING id`,
      [project.projectId, chunk, crawlId],
    );
    resolved += rows.length;
  }
  return resolved;
}

interface OpenIssueRow {
  error_type: string;
  error_severity: Severity;
  category: Category;
  cwe: number | null;
  error_message: string;
  file_path: string;
  line: number;
  column_number: number;
  end_line: number;
  end_column: number;
  snippet: string;
  fingerprint: string;
  pattern_fingerprint: string;
  trace: FindingTrace | null;
  engines: string[] | null;
}

export async function openIssues(db: SqlClient, project: ProjectRef): Promise<Omit<ReportedIssue, 'fixable'>[]> {
  const rows = await db.query<OpenIssueRow>(
    `SELECT error_type, error_severity, category, cwe, error_message, file_path, line, column_number, end_line, end_column,
            snippet, fingerprint, pattern_fingerprint, trace, engines
     FROM code_roach_issues WHERE project_id = $1 AND status = 'open'
     ORDER BY CASE error_severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, file_path, line, column_number`,
    [project.projectId],
  );
  return rows.map((row) => ({
    ruleId: row.error_type,
    severity: row.error_severity,
    category: row.category,
    cwe: row.cwe,
    message: row.error_message,
    file: row.file_path,
    range: { startLine: row.line - 1, startColumn: row.column_number - 1, endLine: row.end_line - 1, endColumn: row.end_column - 1 },
    snippet: row.snippet,
    fingerprint: row.fingerprint,
    patternFingerprint: row.pattern_fingerprint,
    ...(row.trace ? { trace: row.trace } : {}),
    ...(row.engines && row.engines.length > 0 ? { engines: row.engines } : {}),
  }));
}

/** Open issues per file, with their count per severity, for file health. */
export async function openIssueCounts(db: SqlClient, project: ProjectRef): Promise<Map<string, Partial<Record<Severity, number>>>> {
  const rows = await db.query<{ file_path: string; error_severity: Severity; n: string | number }>(
    `SELECT file_path, error_severity, count(*) AS n FROM code_roach_issues
     WHERE project_id = $1 AND status = 'open' GROUP BY file_path, error_severity`,
    [project.projectId],
  );
  const out = new Map<string, Partial<Record<Severity, number>>>();
  for (const row of rows) {
    const counts: Partial<Record<Severity, number>> = out.get(row.file_path) ?? {};
    counts[row.error_severity] = Number(row.n);
    out.set(row.file_path, counts);
  }
  return out;
}

export async function markIssueFixed(
  db: SqlClient,
  project: ProjectRef,
  issueId: string,
  applied: boolean,
  reviewStatus: StoredIssue['reviewStatus'],
): Promise<void> {
  await db.query(
    `UPDATE code_roach_issues SET fix_applied = $3, review_status = $4, updated_at = now(),
       status = CASE WHEN $3 THEN 'resolved' ELSE 'open' END,
       resolved_at = CASE WHEN $3 THEN now() ELSE NULL END,
       resolved_by = CASE WHEN $3 THEN 'fix' ELSE NULL END
     WHERE project_id = $1 AND id = $2`,
    [project.projectId, issueId, applied, reviewStatus],
  );
}

export async function markIssuesPending(db: SqlClient, project: ProjectRef, issueIds: readonly string[]): Promise<void> {
  for (const chunk of chunks(issueIds)) {
    await db.query(`UPDATE code_roach_issues SET review_status = 'pending', updated_at = now() WHERE project_id = $1 AND id = ANY($2::uuid[])`, [
      project.projectId,
      chunk,
    ]);
  }
}

/** Filters of an issue listing; each one left out matches everything. */
export interface IssueFilter {
  readonly status?: StoredIssue['status'];
  readonly severities?: readonly Severity[];
  readonly category?: Category;
  readonly ruleId?: string;
  /** A file, or a folder and everything under it. */
  readonly file?: string;
  /** Case-insensitive text in the message or the flagged code. */
  readonly text?: string;
}

export interface IssuePage {
  readonly items: readonly (StoredIssue & { readonly category: Category; readonly createdAt: string })[];
  /** Pass back to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** One page of a project's issues, newest first, by keyset (never OFFSET): stable under inserts. */
export async function pageIssues(
  db: SqlClient,
  project: ProjectRef,
  options: IssueFilter & { readonly limit: number; readonly cursor?: string | null },
): Promise<IssuePage> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await db.query<{
    id: string; fingerprint: string; error_type: string; file_path: string; line: number; error_severity: Severity;
    error_message: string; status: StoredIssue['status']; review_status: StoredIssue['reviewStatus']; category: Category; created: string;
  }>(
    `SELECT id, fingerprint, error_type, file_path, line, error_severity, error_message, status, review_status, category,
            created_at::text AS created
     FROM code_roach_issues
     WHERE project_id = $1 AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       AND ($6::text[] IS NULL OR error_severity = ANY($6::text[]))
       AND ($7::text IS NULL OR category = $7)
       AND ($8::text IS NULL OR error_type = $8)
       AND ($9::text IS NULL OR file_path = $9 OR starts_with(file_path, $9 || '/'))
       AND ($10::text IS NULL OR strpos(lower(error_message), lower($10)) > 0 OR strpos(lower(snippet), lower($10)) > 0)
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [
      project.projectId,
      options.status ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      options.limit + 1,
      options.severities && options.severities.length > 0 ? options.severities : null,
      options.category ?? null,
      options.ruleId ?? null,
      options.file ?? null,
      options.text ?? null,
    ],
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      fingerprint: r.fingerprint,
      ruleId: r.error_type,
      filePath: r.file_path,
      line: r.line,
      severity: r.error_severity,
      message: r.error_message,
      status: r.status,
      reviewStatus: r.review_status,
      category: r.category,
      createdAt: r.created,
    })),
    nextCursor: rows.length > options.limit && last ? Buffer.from(JSON.stringify([last.created, last.id])).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // falls through to the error below
  }
  throw new RoachError('CR_ERR_USAGE', 'cursor is not one this server handed out; start again without it.', { field: 'cursor' });
}
