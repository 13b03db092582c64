import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
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

/** Built by `npm run build` (scripts/pglite-template.mjs); works from src/ and dist/. */
const TEMPLATE_FILE = new URL('../../dist/pglite-template.tar.gz', import.meta.url);

/** An initialised empty cluster to unpack instead of running initdb; null when the build did not make one. */
async function readTemplate(): Promise<Blob | null> {
  try {
    return new Blob([await readFile(TEMPLATE_FILE)]);
  } catch {
    return null;
  }
}

export interface PgliteOptions {
  /**
   * PostgreSQL's shared buffers, in MiB (default: PostgreSQL's 128). The embedded server zeroes them at every
   * start, and that loop is hot enough for V8 to optimise it in the background, work a process then waits
   * for before it can exit: with 128 MiB that was over half a second of `roach review list`. A short session
   * of a few queries (review, stats) asks for less; a crawl keeps the default.
   */
  readonly sharedBuffersMiB?: number;
}

/**
 * Opens (creating if needed) an embedded PostgreSQL in `dataDir`, or in memory when `dataDir` is
 * null. PGlite is single-connection: callers serialise access, and the crawl lock keeps other
 * processes out of the directory.
 */
export async function openPglite(dataDir: string | null, options: PgliteOptions = {}): Promise<Database> {
  let db: PGlite;
  try {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const template = dataDir && !existsSync(path.join(dataDir, 'PG_VERSION')) ? await readTemplate() : null;
    const startParams = options.sharedBuffersMiB === undefined ? {} : { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffersMiB}MB`] };
    db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(template ? { loadDataDir: template } : {}), ...startParams });
  } catch (error) {
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot open the embedded database in ${dataDir ?? 'memory'}: ${(error as Error).message}`, { dataDir }, { cause: error });
  }
  const nested: SqlClient['transaction'] = async (work) => work(client);
  const client: SqlClient = clientOver(db, nested);
  return {
    kind: 'pglite',
    query: client.query.bind(client),
    exec: client.exec.bind(client),
    async transaction(work) {
      return db.transaction(async (tx) => work(clientOver(tx, async (inner) => inner(clientOver(tx, nested)))));
    },
    async close() {
      await db.close();
    },
  };
}
