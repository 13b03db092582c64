import type { SqlClient } from '../sql.js';

export interface NotificationChannelRecord {
  readonly id: string;
  readonly name: string;
  readonly type: 'webhook' | 'slack';
  readonly url: string;
  readonly events: readonly string[];
}

const COLUMNS = 'id, name, type, url, events';

export async function addChannel(tx: SqlClient, organizationId: string, channel: Omit<NotificationChannelRecord, 'id'>): Promise<NotificationChannelRecord> {
  const [row] = await tx.query<NotificationChannelRecord>(
    `INSERT INTO notification_channels (organization_id, name, type, url, events) VALUES ($1, $2, $3, $4, $5::text[])
     ON CONFLICT (organization_id, name) DO UPDATE SET type = EXCLUDED.type, url = EXCLUDED.url, events = EXCLUDED.events
     RETURNING ${COLUMNS}`,
    [organizationId, channel.name, channel.type, channel.url, channel.events],
  );
  if (!row) throw new Error('addChannel: insert returned no row');
  return row;
}

export async function channels(tx: SqlClient, organizationId: string): Promise<NotificationChannelRecord[]> {
  return tx.query<NotificationChannelRecord>(`SELECT ${COLUMNS} FROM notification_channels WHERE organization_id = $1 ORDER BY name`, [organizationId]);
}

export async function removeChannel(tx: SqlClient, organizationId: string, id: string): Promise<boolean> {
  return (await tx.query('DELETE FROM notification_channels WHERE organization_id = $1 AND id = $2 RETURNING id', [organizationId, id])).length > 0;
}
