import type { SqlClient } from '../sql.js';

/** A channel as stored: URL and signing secret sealed (see domain/secret-box.ts). */
export interface SealedChannel {
  readonly id: string;
  readonly name: string;
  readonly type: 'webhook' | 'slack';
  /** Set only on rows from before migration 0009 that no process with a key has sealed yet. */
  readonly legacyUrl: string | null;
  readonly urlSealed: string | null;
  readonly secretSealed: string | null;
  readonly events: readonly string[];
}

const COLUMNS = 'id, name, type, url AS "legacyUrl", url_sealed AS "urlSealed", secret_sealed AS "secretSealed", events';

export async function addChannel(tx: SqlClient, organizationId: string, channel: Omit<SealedChannel, 'id' | 'legacyUrl' | 'urlSealed'> & { urlSealed: string }): Promise<SealedChannel> {
  const [row] = await tx.query<SealedChannel>(
    `INSERT INTO notification_channels (organization_id, name, type, url, url_sealed, secret_sealed, events) VALUES ($1, $2, $3, NULL, $4, $5, $6::text[])
     ON CONFLICT (organization_id, name) DO UPDATE SET type = EXCLUDED.type, url = NULL, url_sealed = EXCLUDED.url_sealed,
       secret_sealed = EXCLUDED.secret_sealed, events = EXCLUDED.events
     RETURNING ${COLUMNS}`,
    [organizationId, channel.name, channel.type, channel.urlSealed, channel.secretSealed, channel.events],
  );
  if (!row) throw new Error('addChannel: insert returned no row');
  return row;
}

export async function channels(tx: SqlClient, organizationId: string): Promise<SealedChannel[]> {
  return tx.query<SealedChannel>(`SELECT ${COLUMNS} FROM notification_channels WHERE organization_id = $1 ORDER BY name`, [organizationId]);
}

export async function channelsById(tx: SqlClient, organizationId: string, ids: readonly string[]): Promise<SealedChannel[]> {
  return tx.query<SealedChannel>(`SELECT ${COLUMNS} FROM notification_channels WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [organizationId, ids]);
}

export async function removeChannel(tx: SqlClient, organizationId: string, id: string): Promise<boolean> {
  return (await tx.query('DELETE FROM notification_channels WHERE organization_id = $1 AND id = $2 RETURNING id', [organizationId, id])).length > 0;
}

/**
 * Seals what is not sealed under the current key: rows stored in plaintext before migration 0009 and
 * rows sealed with a previous key (rotation). Runs as the schema owner at start-up, across tenants.
 * Returns how many rows were rewritten.
 */
export async function resealChannels(
  db: SqlClient,
  reseal: (row: { url: string | null; urlSealed: string | null; secretSealed: string | null }) => { urlSealed: string; secretSealed: string | null } | null,
): Promise<number> {
  const rows = await db.query<{ id: string; url: string | null; urlSealed: string | null; secretSealed: string | null }>(
    'SELECT id, url, url_sealed AS "urlSealed", secret_sealed AS "secretSealed" FROM notification_channels',
  );
  let changed = 0;
  for (const row of rows) {
    const next = reseal(row);
    if (!next) continue;
    await db.query('UPDATE notification_channels SET url = NULL, url_sealed = $2, secret_sealed = $3 WHERE id = $1', [row.id, next.urlSealed, next.secretSealed]);
    changed++;
  }
  return changed;
}
