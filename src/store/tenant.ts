import { RoachError } from '../domain/errors.js';
import type { SqlClient } from './sql.js';

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` in a transaction acting for one organization: as the `roach_tenant` role, with the
 * organization in `roach.organization_id`, so the row-level security policies of migration 0002 hide
 * and refuse every other organization's rows even if a query forgets its own scoping. Both settings
 * are transaction-local, so a pooled connection goes back clean.
 */
export async function withTenant<T>(db: SqlClient, organizationId: string, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  // Inlined into one round trip with the role switch, so it must be exactly a uuid.
  if (!UUID_SHAPE.test(organizationId)) {
    throw new RoachError('CR_ERR_NOT_FOUND', `No organization with id "${organizationId}".`, { organizationId });
  }
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL ROLE roach_tenant; SELECT set_config('roach.organization_id', '${organizationId.toLowerCase()}', true)`);
    return work(tx);
  });
}
