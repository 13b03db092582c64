import { randomUUID } from 'node:crypto';
import type { FixFileRecord, FixStatus, NewFix, RebasedFile, StoredFix } from '../../fixes/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { chunks, chunksBySize } from './batch.js';

interface FixRow {
  id: string;
  issue_id: string;
  crawl_id: string | null;
  rule_id: string;
  pattern_fingerprint: string;
  strategy: StoredFix['strategy'];
  safety: StoredFix['safety'];
  edits: StoredFix['edits'];
  template: string | null;
  diff: string;
  confidence: number;
  validation: StoredFix['validation'];
  status: FixStatus;
  status_reason: string | null;
  explanation: string | null;
  generation_cost_usd: number | string | null;
  created_at: Date | string;
  decided_by: string | null;
  file_paths: string[] | null;
  fingerprint: string;
  file_path: string;
  line: number;
  error_severity: StoredFix['severity'];
  error_message: string;
}

const SELECT_FIX = `
  SELECT f.id, f.issue_id, f.crawl_id, f.rule_id, f.pattern_fingerprint, f.strategy, f.safety, f.edits, f.template, f.diff,
         f.confidence, f.validation, f.status, f.status_reason, f.explanation, f.generation_cost_usd, f.created_at, f.decided_by,
         (SELECT array_agg(ff.file_path ORDER BY ff.file_path) FROM fix_files ff WHERE ff.fix_id = f.id) AS file_paths,
         i.fingerprint, i.file_path, i.line, i.error_severity, i.error_message
  FROM fixes f JOIN code_roach_issues i ON i.id = f.issue_id`;

function toStoredFix(row: FixRow): StoredFix {
  return {
    id: row.id,
    issueId: row.issue_id,
    crawlId: row.crawl_id,
    ruleId: row.rule_id,
    patternFingerprint: row.pattern_fingerprint,
    strategy: row.strategy,
    safety: row.safety,
    edits: row.edits,
    template: row.template,
    diff: row.diff,
    confidence: Number(row.confidence),
    validation: row.validation,
    status: row.status,
    statusReason: row.status_reason,
    explanation: row.explanation,
    generationCostUsd: row.generation_cost_usd === null ? null : Number(row.generation_cost_usd),
    createdAt: new Date(row.created_at).toISOString(),
    decidedBy: row.decided_by,
    filePaths: row.file_paths ?? [],
    issueFingerprint: row.fingerprint,
    filePath: row.file_path,
    line: row.line,
    severity: row.error_severity,
    message: row.error_message,
  };
}

async function saveBlobs(tx: SqlClient, project: ProjectRef, blobs: ReadonlyMap<string, Uint8Array>): Promise<void> {
  for (const [sha256, bytes] of blobs) {
    await tx.query('INSERT INTO code_roach_blobs (project_id, sha256, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [project.projectId, sha256, bytes]);
  }
}

/**
 * Inserts fixes in batches (one statement per chunk, not per fix); the contents they were made
 * against are stored once per distinct file version. Returns the new ids in input order.
 */
export async function insertFixes(db: SqlClient, project: ProjectRef, fixes: readonly NewFix[]): Promise<string[]> {
  const ids = fixes.map(() => randomUUID());
  const blobs = new Map<string, Uint8Array>();
  for (const fix of fixes) for (const file of fix.files) blobs.set(file.originalSha256, file.originalBytes);
  await db.transaction(async (tx) => {
    await saveBlobs(tx, project, blobs);
    const rows = fixes.map((fix, i) => ({ fix, id: ids[i] }));
    const sizeOf = ({ fix }: (typeof rows)[number]): number => fix.diff.length + JSON.stringify(fix.edits).length + JSON.stringify(fix.validation).length + 512;
    for (const chunk of chunksBySize(rows, sizeOf)) {
      await tx.query(
        `INSERT INTO fixes (id, project_id, issue_id, crawl_id, rule_id, pattern_fingerprint, strategy, safety, edits, template, diff,
           confidence, validation, status, status_reason, explanation, generation_cost_usd)
         SELECT r.id, $1, r.issue, r.crawl, r.rule, r.pfp, r.strategy, r.safety, r.edits, r.template, r.diff, r.confidence,
           r.validation, r.status, r.reason, r.explanation, r.cost
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, issue uuid, crawl uuid, rule text, pfp text, strategy text, safety text,
           edits jsonb, template text, diff text, confidence double precision, validation jsonb, status text, reason text, explanation text, cost double precision)`,
        [
          project.projectId,
          JSON.stringify(
            chunk.map(({ fix, id }) => ({
              id,
              issue: fix.issueId,
              crawl: fix.crawlId,
              rule: fix.ruleId,
              pfp: fix.patternFingerprint,
              strategy: fix.strategy,
              safety: fix.safety,
              edits: fix.edits,
              template: fix.template,
              diff: fix.diff,
              confidence: fix.confidence,
              validation: fix.validation,
              status: fix.status,
              reason: fix.statusReason,
              explanation: fix.explanation ?? null,
              cost: fix.generationCostUsd ?? null,
            })),
          ),
        ],
      );
      await tx.query(
        `INSERT INTO fix_files (fix_id, project_id, file_path, original_sha256, fixed_sha256, created)
         SELECT r.id, $1, r.path, r.osha, r.fsha, r.created
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, path text, osha text, fsha text, created boolean)`,
        [
          project.projectId,
          JSON.stringify(
            chunk.flatMap(({ fix, id }) => fix.files.map((f) => ({ id, path: f.path, osha: f.originalSha256, fsha: f.fixedSha256, created: f.created === true }))),
          ),
        ],
      );
    }
  });
  return ids;
}

export async function insertFix(db: SqlClient, project: ProjectRef, fix: NewFix): Promise<string> {
  const [id] = await insertFixes(db, project, [fix]);
  if (!id) throw new Error('insertFix: no id');
  return id;
}

/** Finds a fix by full id or by a unique id prefix (as shown in `roach review`). */
export async function getFix(db: SqlClient, project: ProjectRef, fixId: string): Promise<StoredFix | null> {
  const rows = await db.query<FixRow>(`${SELECT_FIX} WHERE f.project_id = $1 AND f.id::text LIKE $2 || '%' LIMIT 2`, [
    project.projectId,
    fixId.toLowerCase(),
  ]);
  return rows.length === 1 && rows[0] ? toStoredFix(rows[0]) : null;
}

export async function listFixes(db: SqlClient, project: ProjectRef, statuses: readonly FixStatus[]): Promise<StoredFix[]> {
  const rows = await db.query<FixRow>(
    `${SELECT_FIX} WHERE f.project_id = $1 AND f.status = ANY($2::text[]) ORDER BY f.confidence DESC, f.created_at, f.id`,
    [project.projectId, statuses],
  );
  return rows.map(toStoredFix);
}

export async function fixFiles(db: SqlClient, fixId: string): Promise<FixFileRecord[]> {
  const rows = await db.query<{ file_path: string; original_bytes: Uint8Array; original_sha256: string; fixed_sha256: string; created: boolean }>(
    `SELECT ff.file_path, b.bytes AS original_bytes, ff.original_sha256, ff.fixed_sha256, ff.created
     FROM fix_files ff JOIN code_roach_blobs b ON b.project_id = ff.project_id AND b.sha256 = ff.original_sha256
     WHERE ff.fix_id = $1 ORDER BY ff.file_path`,
    [fixId],
  );
  return rows.map((row) => ({
    path: row.file_path,
    originalBytes: new Uint8Array(row.original_bytes),
    originalSha256: row.original_sha256,
    fixedSha256: row.fixed_sha256,
    ...(row.created ? { created: true } : {}),
  }));
}

export async function setFixStatus(
  db: SqlClient,
  project: ProjectRef,
  fixId: string,
  status: FixStatus,
  reason: string | null,
  actor: string | null,
): Promise<void> {
  await db.query(
    `UPDATE fixes SET status = $3, status_reason = $4, decided_by = COALESCE($5, decided_by),
       decided_at = CASE WHEN $3 IN ('applied', 'rejected', 'failed_validation', 'failed_apply') THEN now() ELSE decided_at END,
       applied_at = CASE WHEN $3 = 'applied' THEN now() ELSE applied_at END,
       rolled_back_at = CASE WHEN $3 = 'rolled_back' THEN now() ELSE rolled_back_at END
     WHERE project_id = $1 AND id = $2`,
    [project.projectId, fixId, status, reason, actor],
  );
}

export async function issuesHavingFixes(db: SqlClient, project: ProjectRef): Promise<Set<string>> {
  const rows = await db.query<{ issue_id: string }>(
    // An applied fix does not block: an issue open again after one (its fingerprint reused by a
    // sibling occurrence, or the code changed back) gets a fresh fix.
    `SELECT DISTINCT issue_id FROM fixes WHERE project_id = $1 AND status IN ('pending', 'applying', 'rejected', 'failed_validation')`,
    [project.projectId],
  );
  return new Set(rows.map((row) => row.issue_id));
}

export async function supersedePendingFixes(db: SqlClient, project: ProjectRef, files: readonly { path: string; sha256: string }[]): Promise<number> {
  let count = 0;
  for (const chunk of chunks(files)) {
    const rows = await db.query(
      `UPDATE fixes SET status = 'superseded', status_reason = 'the file changed before the fix was reviewed', decided_at = now()
       WHERE project_id = $1 AND status = 'pending' AND id IN (
         SELECT ff.fix_id FROM fix_files ff
         JOIN jsonb_to_recordset($2::jsonb) AS r(path text, sha text) ON r.path = ff.file_path
         WHERE ff.original_sha256 <> r.sha)
       RETURNING id`,
      [project.projectId, JSON.stringify(chunk.map((f) => ({ path: f.path, sha: f.sha256 })))],
    );
    count += rows.length;
  }
  return count;
}

/** Rewrites a fix after a rebase: edits of the rebased files replaced, their bytes and hashes updated. */
export async function rebaseFix(db: SqlClient, project: ProjectRef, fixId: string, files: readonly RebasedFile[], diff: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ edits: RebasedFile['edits'] }>('SELECT edits FROM fixes WHERE project_id = $1 AND id = $2 FOR UPDATE', [project.projectId, fixId]);
    if (!row) throw new Error(`rebaseFix: no fix ${fixId}`);
    const paths = new Set(files.map((f) => f.path));
    const edits = [...row.edits.filter((edit) => !paths.has(edit.file)), ...files.flatMap((f) => f.edits)];
    await tx.query('UPDATE fixes SET edits = $3, diff = $4 WHERE project_id = $1 AND id = $2', [project.projectId, fixId, JSON.stringify(edits), diff]);
    await saveBlobs(tx, project, new Map(files.map((file) => [file.originalSha256, file.originalBytes])));
    for (const file of files) {
      await tx.query('UPDATE fix_files SET original_sha256 = $3, fixed_sha256 = $4, created = $5 WHERE fix_id = $1 AND file_path = $2', [
        fixId,
        file.path,
        file.originalSha256,
        file.fixedSha256,
        file.created === true,
      ]);
    }
  });
}

export interface FixPage {
  readonly items: readonly StoredFix[];
  /** (created_at as PostgreSQL writes it, id) of the last item when more follow: full precision for the keyset. */
  readonly next: { readonly createdAt: string; readonly id: string } | null;
}

/** One page of a project's fixes in these states, newest first, by keyset on (created_at, id) (never OFFSET). */
export async function pageFixes(
  db: SqlClient,
  project: ProjectRef,
  statuses: readonly FixStatus[],
  page: { readonly limit: number; readonly after: { readonly createdAt: string; readonly id: string } | null },
): Promise<FixPage> {
  const rows = await db.query<FixRow & { created_text: string }>(
    `SELECT * FROM (${SELECT_FIX.replace('f.created_at, f.decided_by', 'f.created_at, f.created_at::text AS created_text, f.decided_by')}
       WHERE f.project_id = $1 AND f.status = ANY($2::text[])
         AND ($3::timestamptz IS NULL OR (f.created_at, f.id) < ($3::timestamptz, $4::uuid))
       ORDER BY f.created_at DESC, f.id DESC LIMIT $5) AS page`,
    [project.projectId, statuses, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit + 1],
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map(toStoredFix), next: rows.length > page.limit && last ? { createdAt: last.created_text, id: last.id } : null };
}
