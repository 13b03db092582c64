import pg from 'pg';
import { RoachError } from '../domain/errors.js';
import type { Database, SqlClient } from './sql.js';

export interface PostgresOptions {
  readonly connectionString: string;
  /** Schema to use (created if missing); lets tests and tenants-per-schema setups stay apart. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Connects a pool to a PostgreSQL server; fails with a message naming DATABASE_URL when it cannot. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  try {
    const probe = await pool.connect();
    try {
      if (options.schema) await probe.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    } finally {
      probe.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    const safeUrl = options.connectionString.replace(/\/\/[^@/]*@/, '//***@');
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot connect to PostgreSQL at DATABASE_URL=${safeUrl}: ${(error as Error).message}`, {}, { cause: error });
  }

  const over = (runner: pg.Pool | pg.PoolClient, transaction: SqlClient['transaction']): SqlClient => ({
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await runner.query(sql);
    },
    transaction,
  });

  const transaction: SqlClient['transaction'] = async (work) => {
    const connection = await pool.connect();
    try {
      await connection.query('BEGIN');
      const inner: SqlClient = over(connection, async (nested) => nested(inner));
      const result = await work(inner);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  };
  const client = over(pool, transaction);
  return {
    kind: 'postgres',
    query: client.query,
    exec: client.exec,
    transaction,
    async close() {
      await pool.end();
    },
  };
}
