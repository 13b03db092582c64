import type { FileHealthRecord, FileState } from '../../crawl/ports.js';
import type { ConventionCounts } from '../../domain/conventions.js';
import type { ModuleFacts } from '../../domain/module-facts.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

interface FileRow {
  file_path: string;
  size_bytes: string | number;
  mtime_ms: number;
  sha256: string;
  language: string | null;
  convention_counts: ConventionCounts | null;
  decisions: string | null;
  module_facts: ModuleFacts | null;
  module_flows: string | null;
}

export async function fileStates(db: SqlClient, project: ProjectRef): Promise<Map<string, FileState>> {
  const rows = await db.query<FileRow>(
    'SELECT file_path, size_bytes, mtime_ms, sha256, language, convention_counts, decisions, module_facts, module_flows FROM code_roach_files WHERE project_id = $1',
    [project.projectId],
  );
  return new Map(
    rows.map((row) => [
      row.file_path,
      {
        path: row.file_path,
        sizeBytes: Number(row.size_bytes),
        mtimeMs: Number(row.mtime_ms),
        sha256: row.sha256,
        language: row.language,
        ...(row.convention_counts ? { conventionCounts: row.convention_counts } : {}),
        ...(row.decisions !== null ? { decisions: row.decisions } : {}),
        ...(row.module_facts ? { moduleFacts: row.module_facts } : {}),
        ...(row.module_flows !== null ? { moduleFlows: row.module_flows } : {}),
      },
    ]),
  );
}

export async function saveFileStates(db: SqlClient, project: ProjectRef, crawlId: string, states: readonly FileState[]): Promise<void> {
  for (const chunk of chunks(states)) {
    await db.query(
      `INSERT INTO code_roach_files (project_id, file_path, size_bytes, mtime_ms, sha256, language, convention_counts, decisions, module_facts, module_flows, last_crawl_id)
       SELECT $1, r.path, r.size, r.mtime, r.sha, r.lang, r.conventions, r.decisions, r.facts, r.flows, $2
       FROM jsonb_to_recordset($3::jsonb) AS r(path text, size bigint, mtime double precision, sha text, lang text, conventions jsonb, decisions text, facts jsonb, flows text)
       ON CONFLICT (project_id, file_path) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, mtime_ms = EXCLUDED.mtime_ms,
         sha256 = EXCLUDED.sha256, language = EXCLUDED.language, convention_counts = EXCLUDED.convention_counts,
         decisions = EXCLUDED.decisions, module_facts = EXCLUDED.module_facts, module_flows = EXCLUDED.module_flows, last_crawl_id = EXCLUDED.last_crawl_id`,
      [
        project.projectId,
        crawlId,
        JSON.stringify(
          chunk.map((s) => ({
            path: s.path,
            size: s.sizeBytes,
            mtime: s.mtimeMs,
            sha: s.sha256,
            lang: s.language,
            conventions: s.conventionCounts ?? null,
            decisions: s.decisions ?? null,
            facts: s.moduleFacts ?? null,
            flows: s.moduleFlows ?? null,
          })),
        ),
      ],
    );
  }
}

export async function forgetFiles(db: SqlClient, project: ProjectRef, paths: readonly string[]): Promise<void> {
  for (const chunk of chunks(paths)) {
    await db.query('DELETE FROM code_roach_files WHERE project_id = $1 AND file_path = ANY($2::text[])', [project.projectId, chunk]);
  }
}

export async function recordFileHealth(db: SqlClient, project: ProjectRef, crawlId: string, records: readonly FileHealthRecord[]): Promise<void> {
  for (const chunk of chunks(records)) {
    await db.query(
      `INSERT INTO code_roach_file_health (project_id, crawl_id, file_path, health_score, issue_count)
       SELECT $1, $2, r.path, r.score, r.issues
       FROM jsonb_to_recordset($3::jsonb) AS r(path text, score double precision, issues integer)`,
      [project.projectId, crawlId, JSON.stringify(chunk.map((r) => ({ path: r.filePath, score: r.healthScore, issues: r.issueCount })))],
    );
  }
}

export async function recordAnalytics(db: SqlClient, project: ProjectRef, crawlId: string, metricType: string, value: unknown): Promise<void> {
  await db.query(
    'INSERT INTO code_roach_analytics (project_id, crawl_id, metric_type, metric_value) VALUES ($1, $2, $3, $4)',
    [project.projectId, crawlId, metricType, JSON.stringify(value)],
  );
}
