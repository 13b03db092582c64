import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import { RoachError } from '../domain/errors.js';
import type { Database, SqlClient } from './sql.js';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function clientOver(target: Queryable, transaction: SqlClient['transaction']): SqlClient {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
    transaction,
  };
}

/**
 * Opens (creating if needed) an embedded PostgreSQL in `dataDir`, or in memory when `dataDir` is
 * null. PGlite is single-connection: callers serialise access, and the crawl lock keeps other
 * processes out of the directory.
 */
export async function openPglite(dataDir: string | null): Promise<Database> {
  let db: PGlite;
  try {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    db = await PGlite.create(dataDir ?? undefined);
  } catch (error) {
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot open the embedded database in ${dataDir ?? 'memory'}: ${(error as Error).message}`, { dataDir }, { cause: error });
  }
  const nested: SqlClient['transaction'] = async (work) => work(client);
  const client: SqlClient = clientOver(db, nested);
  return {
    kind: 'pglite',
    query: client.query,
    exec: client.exec,
    async transaction(work) {
      return db.transaction(async (tx) => work(clientOver(tx, async (inner) => inner(clientOver(tx, nested)))));
    },
    async close() {
      await db.close();
    },
  };
}
