import type { NewLearnedTemplate, StoredLearnedTemplate } from '../../fixes/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

interface TemplateRow {
  id: string;
  project_id: string | null;
  pattern_fingerprint: string;
  rule_id: string;
  shape: string;
  language: string;
  match_pattern: string;
  rewrite: string;
  metavariables: string[];
  example_count: number;
  source: 'review' | 'history';
  successes: number;
  failures: number;
}

export async function saveLearnedTemplates(db: SqlClient, project: ProjectRef, templates: readonly NewLearnedTemplate[]): Promise<void> {
  for (const chunk of chunks(templates)) {
    await db.query(
      `INSERT INTO code_roach_learned_templates
         (organization_id, project_id, pattern_fingerprint, rule_id, shape, language, match_pattern, rewrite, metavariables, example_count, source)
       SELECT $1, $3, t."patternFingerprint", t."ruleId", t.shape, t.language, t.pattern, t.rewrite,
              ARRAY(SELECT jsonb_array_elements_text(t.metavariables)), t."exampleCount", t.source
       FROM jsonb_to_recordset($2::jsonb) AS t("patternFingerprint" text, "ruleId" text, shape text, language text, pattern text,
            rewrite text, metavariables jsonb, "exampleCount" integer, source text)
       ON CONFLICT (project_id, pattern_fingerprint, match_pattern, rewrite) DO UPDATE SET
         example_count = GREATEST(code_roach_learned_templates.example_count, EXCLUDED.example_count), updated_at = now()`,
      [project.organizationId, JSON.stringify(chunk), project.projectId],
    );
  }
}

/**
 * The templates a project may use: its own, legacy ones without a project, and, when it shares its
 * learning, those of other sharing projects. Each comes with its record: the current outcomes
 * (migration 0005) of the pattern-reuse fixes that wrote its rewrite. Verified counts as a success;
 * rejected, failed, rolled back, reverted or re-edited by a reviewer as a failure.
 */
export async function learnedTemplates(db: SqlClient, project: ProjectRef, fingerprints?: readonly string[]): Promise<StoredLearnedTemplate[]> {
  const rows = await db.query<TemplateRow>(
    `SELECT t.id, t.project_id, t.pattern_fingerprint, t.rule_id, t.shape, t.language, t.match_pattern, t.rewrite, t.metavariables,
            t.example_count, t.source, COALESCE(r.successes, 0) AS successes, COALESCE(r.failures, 0) AS failures
     FROM code_roach_learned_templates t
     LEFT JOIN LATERAL (
       SELECT count(*) FILTER (WHERE o.success)::int AS successes, count(*) FILTER (WHERE NOT o.success)::int AS failures
       FROM code_roach_fix_outcomes o JOIN fixes f ON f.id = o.fix_id
       WHERE o.organization_id = t.organization_id AND o.strategy = 'pattern-reuse'
         AND o.pattern_fingerprint = t.pattern_fingerprint AND f.template = t.rewrite
     ) r ON true
     WHERE t.organization_id = $1 AND ($2::text[] IS NULL OR t.pattern_fingerprint = ANY($2::text[]))
       AND (t.project_id IS NULL OR t.project_id = $3
            OR (EXISTS (SELECT 1 FROM projects s WHERE s.id = $3 AND s.share_patterns)
                AND EXISTS (SELECT 1 FROM projects o WHERE o.id = t.project_id AND o.share_patterns)))
     ORDER BY t.pattern_fingerprint, t.created_at, t.match_pattern, t.rewrite`,
    [project.organizationId, fingerprints ? [...fingerprints] : null, project.projectId],
  );
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    patternFingerprint: row.pattern_fingerprint,
    ruleId: row.rule_id,
    shape: row.shape,
    language: row.language,
    pattern: row.match_pattern,
    rewrite: row.rewrite,
    metavariables: row.metavariables,
    exampleCount: row.example_count,
    source: row.source,
    successes: row.successes,
    failures: row.failures,
  }));
}

/**
 * Learned templates may come from history before the pattern was ever crawled, so the pattern row is
 * created here when missing; its counts stay with recordPatternOccurrences and recordPatternOutcome.
 * Learned rewrites are offered as unsafe: they are proven on their examples, not on every program.
 */
export async function promoteLearnedTemplate(db: SqlClient, project: ProjectRef, template: StoredLearnedTemplate): Promise<void> {
  // learnedIn: as for other best fixes (migration 0005), only sharing projects see another's.
  const bestFix = { template: template.rewrite, safety: 'unsafe', match: template.pattern, ...(template.projectId ? { learnedIn: template.projectId } : {}) };
  await db.query(
    `INSERT INTO code_roach_patterns (organization_id, fingerprint, rule_id, error_pattern, best_fix, confidence)
     VALUES ($1, $2, $3, $4, $5, 0.5)
     ON CONFLICT (organization_id, fingerprint) DO UPDATE SET best_fix = EXCLUDED.best_fix, updated_at = now()`,
    [project.organizationId, template.patternFingerprint, template.ruleId, JSON.stringify({ ruleId: template.ruleId, shape: template.shape }), JSON.stringify(bestFix)],
  );
}

export async function minedCommits(db: SqlClient, project: ProjectRef): Promise<Set<string>> {
  const rows = await db.query<{ commit_sha: string }>(`SELECT commit_sha FROM code_roach_mined_commits WHERE project_id = $1`, [project.projectId]);
  return new Set(rows.map((row) => row.commit_sha));
}

export async function recordMinedCommits(db: SqlClient, project: ProjectRef, commits: readonly { sha: string; examples: number }[]): Promise<void> {
  for (const chunk of chunks(commits)) {
    await db.query(
      `INSERT INTO code_roach_mined_commits (project_id, commit_sha, examples)
       SELECT $1, c.sha, c.examples FROM jsonb_to_recordset($2::jsonb) AS c(sha text, examples integer)
       ON CONFLICT (project_id, commit_sha) DO NOTHING`,
      [project.projectId, JSON.stringify(chunk)],
    );
  }
}

export async function commitsWithExamples(db: SqlClient, project: ProjectRef, limit: number): Promise<string[]> {
  const rows = await db.query<{ commit_sha: string }>(
    `SELECT commit_sha FROM code_roach_mined_commits WHERE project_id = $1 AND examples > 0 ORDER BY mined_at DESC, commit_sha LIMIT $2`,
    [project.projectId, limit],
  );
  return rows.map((row) => row.commit_sha);
}
