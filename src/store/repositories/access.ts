import type { SqlClient } from '../sql.js';

export type ApiKeyRole = 'admin' | 'member' | 'viewer';

export interface ApiKeyRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly prefix: string;
  readonly role: ApiKeyRole;
  readonly projectIds: readonly string[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

const KEY_COLUMNS = `id, organization_id AS "organizationId", name, prefix, role, project_ids AS "projectIds",
  created_at::text AS "createdAt", last_used_at::text AS "lastUsedAt", revoked_at::text AS "revokedAt"`;

export async function createApiKey(
  tx: SqlClient,
  key: { organizationId: string; name: string; prefix: string; keyHash: string; role: ApiKeyRole; projectIds: readonly string[]; createdBy: string | null },
): Promise<ApiKeyRecord> {
  const [row] = await tx.query<ApiKeyRecord>(
    `INSERT INTO api_keys (organization_id, name, prefix, key_hash, role, project_ids, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7) RETURNING ${KEY_COLUMNS}`,
    [key.organizationId, key.name, key.prefix, key.keyHash, key.role, key.projectIds, key.createdBy],
  );
  if (!row) throw new Error('createApiKey: insert returned no row');
  return row;
}

export async function apiKeys(tx: SqlClient, organizationId: string): Promise<ApiKeyRecord[]> {
  return tx.query<ApiKeyRecord>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE organization_id = $1 ORDER BY created_at DESC, id`, [organizationId]);
}

/** Revokes a key of this organization; false when it has no such key. */
export async function revokeApiKey(tx: SqlClient, organizationId: string, id: string): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE organization_id = $1 AND id = $2 RETURNING id`,
    [organizationId, id],
  );
  return rows.length > 0;
}

/**
 * The live key with this hash, marked as used. Runs before any tenant is known (the key is what
 * names the tenant), so it is the one lookup by a secret's hash across organizations.
 */
export async function useApiKey(db: SqlClient, keyHash: string): Promise<ApiKeyRecord | null> {
  // last_used_at is refreshed at most once a minute, so authenticating is not a write per request.
  const [row] = await db.query<ApiKeyRecord>(
    `WITH live AS (SELECT ${KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL),
     touched AS (
       UPDATE api_keys SET last_used_at = now()
       WHERE id = (SELECT id FROM live) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
     )
     SELECT * FROM live`,
    [keyHash],
  );
  return row ?? null;
}

/** Which organization owns a project (before the caller's membership in it is checked). */
export async function organizationOfProject(db: SqlClient, projectId: string): Promise<string | null> {
  const [row] = await db.query<{ organization_id: string }>('SELECT organization_id FROM projects WHERE id = $1', [projectId]);
  return row?.organization_id ?? null;
}

/** The organizations a user belongs to, with their role in each. */
export async function organizationsOfUser(db: SqlClient, userId: string): Promise<{ id: string; slug: string; name: string; role: string }[]> {
  return db.query(
    `SELECT o.id, o.slug, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.organization_id
     WHERE m.user_id = $1 ORDER BY o.slug`,
    [userId],
  );
}

export interface AuditEntry {
  readonly organizationId: string | null;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: 'success' | 'failure';
  readonly statusCode: number | null;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly details: Record<string, unknown>;
}

export async function recordAudit(db: SqlClient, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (organization_id, actor, action, target, outcome, status_code, request_id, ip, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [entry.organizationId, entry.actor, entry.action, entry.target, entry.outcome, entry.statusCode, entry.requestId, entry.ip, JSON.stringify(entry.details)],
  );
}

export interface AuditPage {
  readonly items: readonly (AuditEntry & { readonly id: string; readonly createdAt: string })[];
  readonly nextCursor: string | null;
}

/** Newest first, by keyset on the id. */
export async function auditPage(tx: SqlClient, organizationId: string, limit: number, before: string | null): Promise<AuditPage> {
  const rows = await tx.query<AuditEntry & { id: string; createdAt: string }>(
    `SELECT id::text, organization_id AS "organizationId", actor, action, target, outcome, status_code AS "statusCode",
            request_id AS "requestId", ip, details, created_at::text AS "createdAt"
     FROM audit_log WHERE organization_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
     ORDER BY id DESC LIMIT $3`,
    [organizationId, before, limit + 1],
  );
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
