import type { ProjectRef } from '../../domain/project-ref.js';
import type { AnsweredEdit, GeneratedFix, LlmCallRecord, LlmSpend, PromptKey } from '../../fixes/ports.js';
import type { SqlClient } from '../sql.js';
import { APPROVED_IN_REVIEW, EDITED_IN_REVIEW } from '../../fixes/ports.js';

/** How a fix a reviewer approved ended (as proposed, or as they edited it). */
const APPROVED_REASONS = [APPROVED_IN_REVIEW, EDITED_IN_REVIEW];

/** The edits of a kept answer (JSON in the `replacement` column); null for a row this version cannot read. */
function keptEdits(stored: string): AnsweredEdit[] | null {
  try {
    const edits = JSON.parse(stored) as unknown;
    const valid = Array.isArray(edits) && edits.every((e) => typeof e === 'object' && e !== null && typeof (e as AnsweredEdit).find === 'string' && typeof (e as AnsweredEdit).replace === 'string');
    return valid ? (edits as AnsweredEdit[]) : null;
  } catch {
    return null;
  }
}

/** The answer kept for an identical prompt in the organization (issue 15 point 5). */
export async function keptAnswer(db: SqlClient, project: ProjectRef, key: PromptKey): Promise<GeneratedFix | null> {
  const [row] = await db.query<{ replacement: string; explanation: string; input_tokens: number | null; output_tokens: number | null }>(
    `SELECT replacement, explanation, input_tokens, output_tokens FROM code_roach_llm_answers
     WHERE organization_id = $1 AND provider = $2 AND model = $3 AND prompt_sha256 = $4`,
    [project.organizationId, key.provider, key.model, key.promptSha256],
  );
  const edits = row ? keptEdits(row.replacement) : null;
  return row && edits ? { edits, explanation: row.explanation, usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens } } : null;
}

/** Records one call, and keeps an answered call's answer for the next identical prompt. */
export async function recordLlmCall(db: SqlClient, project: ProjectRef, call: LlmCallRecord, answer: GeneratedFix | null): Promise<void> {
  await db.query(
    `INSERT INTO code_roach_llm_calls (organization_id, project_id, crawl_id, rule_id, provider, model, prompt_sha256, outcome, detail,
       input_tokens, output_tokens, cost_usd, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      project.organizationId,
      project.projectId,
      call.crawlId,
      call.ruleId,
      call.provider,
      call.model,
      call.promptSha256,
      call.outcome,
      call.detail,
      call.inputTokens,
      call.outputTokens,
      call.costUsd,
      Math.round(call.durationMs),
    ],
  );
  if (call.outcome !== 'answered' || !answer) return;
  await db.query(
    `INSERT INTO code_roach_llm_answers (organization_id, provider, model, prompt_sha256, replacement, explanation, input_tokens, output_tokens)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [project.organizationId, call.provider, call.model, call.promptSha256, JSON.stringify(answer.edits), answer.explanation, answer.usage.inputTokens, answer.usage.outputTokens],
  );
}

const SPEND_COLUMNS = `count(*) FILTER (WHERE outcome <> 'cached') AS calls, count(*) FILTER (WHERE outcome = 'cached') AS cached,
  count(*) FILTER (WHERE outcome = 'failed') AS failed, coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cost_usd), 0) AS cost_usd, count(*) FILTER (WHERE outcome = 'answered' AND cost_usd IS NULL) AS unpriced`;

type SpendRow = Record<'calls' | 'cached' | 'failed' | 'input_tokens' | 'output_tokens' | 'cost_usd' | 'unpriced', string | number>;

const spendOf = (row: SpendRow | undefined): LlmSpend => ({
  calls: Number(row?.calls ?? 0),
  cached: Number(row?.cached ?? 0),
  failed: Number(row?.failed ?? 0),
  inputTokens: Number(row?.input_tokens ?? 0),
  outputTokens: Number(row?.output_tokens ?? 0),
  costUsd: Number(row?.cost_usd ?? 0),
  unpriced: Number(row?.unpriced ?? 0),
});

/** Spending of the project and of its whole organization, optionally within a time range (`roach stats`, analytics). */
export async function llmSpend(db: SqlClient, project: ProjectRef, range?: { readonly from: string; readonly to: string }): Promise<{ project: LlmSpend; organization: LlmSpend }> {
  const window = range ? 'AND created_at >= $3::timestamptz AND created_at < $4::timestamptz' : '';
  const params = range ? [range.from, range.to] : [];
  const [mine] = await db.query<SpendRow>(`SELECT ${SPEND_COLUMNS} FROM code_roach_llm_calls WHERE organization_id = $1 AND project_id = $2 ${window}`, [project.organizationId, project.projectId, ...params]);
  const [all] = await db.query<SpendRow>(`SELECT ${SPEND_COLUMNS} FROM code_roach_llm_calls WHERE organization_id = $1 AND $2::uuid IS NOT NULL ${window}`, [project.organizationId, project.projectId, ...params]);
  return { project: spendOf(mine), organization: spendOf(all) };
}

/** Diffs of approved fixes of a pattern in the project, newest first: how this repository fixed it before. */
export async function approvedFixDiffs(db: SqlClient, project: ProjectRef, patternFingerprint: string, limit: number): Promise<string[]> {
  const rows = await db.query<{ diff: string }>(
    `SELECT diff FROM fixes
     WHERE project_id = $1 AND pattern_fingerprint = $2 AND status = 'applied' AND status_reason = ANY($3::text[])
     ORDER BY decided_at DESC NULLS LAST, id LIMIT $4`,
    [project.projectId, patternFingerprint, APPROVED_REASONS, limit],
  );
  return rows.map((row) => row.diff);
}
