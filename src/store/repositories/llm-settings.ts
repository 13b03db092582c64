import type { SqlClient } from '../sql.js';

/** An organization's generated-fix settings as stored: the key sealed (see domain/secret-box.ts). */
export interface SealedLlmSettings {
  readonly enabled: boolean;
  readonly provider: 'openai' | 'anthropic' | 'google' | 'openai-compatible';
  readonly model: string;
  readonly cheapModel: string | null;
  readonly baseUrl: string | null;
  readonly apiKeySealed: string | null;
  readonly monthlyBudgetUsd: number | null;
  readonly updatedAt: string;
}

const COLUMNS = `enabled, provider, model, cheap_model AS "cheapModel", base_url AS "baseUrl", api_key_sealed AS "apiKeySealed",
  monthly_budget_usd AS "monthlyBudgetUsd", to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export async function llmSettings(tx: SqlClient, organizationId: string): Promise<SealedLlmSettings | null> {
  const [row] = await tx.query<SealedLlmSettings>(`SELECT ${COLUMNS} FROM code_roach_llm_settings WHERE organization_id = $1`, [organizationId]);
  return row ? { ...row, monthlyBudgetUsd: row.monthlyBudgetUsd === null ? null : Number(row.monthlyBudgetUsd) } : null;
}

/** Replaces the organization's settings; the sealed key is whatever the caller decided (kept, new or none). */
export async function putLlmSettings(tx: SqlClient, organizationId: string, settings: Omit<SealedLlmSettings, 'updatedAt'>): Promise<SealedLlmSettings> {
  await tx.query(
    `INSERT INTO code_roach_llm_settings (organization_id, enabled, provider, model, cheap_model, base_url, api_key_sealed, monthly_budget_usd, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
     ON CONFLICT (organization_id) DO UPDATE SET enabled = EXCLUDED.enabled, provider = EXCLUDED.provider, model = EXCLUDED.model,
       cheap_model = EXCLUDED.cheap_model, base_url = EXCLUDED.base_url, api_key_sealed = EXCLUDED.api_key_sealed,
       monthly_budget_usd = EXCLUDED.monthly_budget_usd, updated_at = now()`,
    [organizationId, settings.enabled, settings.provider, settings.model, settings.cheapModel, settings.baseUrl, settings.apiKeySealed, settings.monthlyBudgetUsd],
  );
  return (await llmSettings(tx, organizationId)) as SealedLlmSettings;
}

export async function removeLlmSettings(tx: SqlClient, organizationId: string): Promise<boolean> {
  return (await tx.query('DELETE FROM code_roach_llm_settings WHERE organization_id = $1 RETURNING organization_id', [organizationId])).length > 0;
}

/** What the organization's calls cost since `since` (the start of the month, UTC), in USD. */
export async function organizationSpendSince(tx: SqlClient, organizationId: string, since: Date): Promise<number> {
  const [row] = await tx.query<{ cost: string | number }>(
    'SELECT coalesce(sum(cost_usd), 0) AS cost FROM code_roach_llm_calls WHERE organization_id = $1 AND created_at >= $2::timestamptz',
    [organizationId, since.toISOString()],
  );
  return Number(row?.cost ?? 0);
}

/**
 * Re-seals keys not sealed under the current key (rotation). Runs as the schema owner at start-up,
 * across tenants; returns how many rows changed.
 */
export async function resealLlmKeys(db: SqlClient, reseal: (sealed: string) => string | null): Promise<number> {
  const rows = await db.query<{ organization_id: string; api_key_sealed: string }>('SELECT organization_id, api_key_sealed FROM code_roach_llm_settings WHERE api_key_sealed IS NOT NULL');
  let changed = 0;
  for (const row of rows) {
    const next = reseal(row.api_key_sealed);
    if (next === null) continue;
    await db.query('UPDATE code_roach_llm_settings SET api_key_sealed = $2 WHERE organization_id = $1', [row.organization_id, next]);
    changed++;
  }
  return changed;
}
