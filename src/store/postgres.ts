import pg from 'pg';
import { RoachError } from '../domain/errors.js';
import type { Database, SqlClient } from './sql.js';
import { ignoreError } from '../domain/ignore-error.js';

export interface PostgresOptions {
  readonly connectionString: string;
  /** Schema to use (created if missing); lets tests and tenants-per-schema setups stay apart. */
  readonly schema?: string;
  readonly maxConnections?: number;
  /** Shown in pg_stat_activity, so operators (and fault tests) can tell Code Roach's connections apart. */
  readonly applicationName?: string;
}

/** The URL with its password masked, for messages. */
export function maskedUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Refuses a DATABASE_URL that is not a postgres:// URL before any connection is tried. */
function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `DATABASE_URL is not a URL: "${maskedUrl(url)}" (expected postgres://user:password@host:5432/database).`, { setting: 'DATABASE_URL' });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', `DATABASE_URL must start with postgres:// or postgresql://, got "${parsed.protocol}//".`, { setting: 'DATABASE_URL' });
  }
}

/** Turns a driver's connection failure into a message a person can act on. */
function connectionFailure(url: string, error: unknown): RoachError {
  const code = (error as { code?: string }).code;
  const reason =
    code === '28P01' || code === '28000'
      ? 'the server refused the user name or password'
      : code === '3D000'
        ? 'the database does not exist'
        : code === 'ECONNREFUSED'
          ? 'connection refused (is PostgreSQL running there?)'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'unknown host'
            : (error as Error).message;
  return new RoachError('CR_ERR_DATABASE_UNREACHABLE', `Cannot connect to PostgreSQL at DATABASE_URL=${maskedUrl(url)}: ${reason}.`, { setting: 'DATABASE_URL', cause: code ?? null }, { cause: error });
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Connects a pool to a PostgreSQL server; fails with a message naming DATABASE_URL when it cannot. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  checkUrl(options.connectionString);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'code-roach',
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle connection the server drops (restart, failover, pg_terminate_backend) must not crash the
  // process: the pool discards it and the next query opens a fresh one.
  pool.on('error', ignoreError('an idle connection dropped by the server is discarded; the next query reconnects or reports'));
  // The same for a connection that dies while checked out: the query in flight rejects, and the
  // client's own 'error' event must not go unhandled.
  pool.on('connect', (connection) => connection.on('error', ignoreError('the query in flight rejects with this error')));
  try {
    const probe = await pool.connect();
    try {
      if (options.schema) await probe.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    } finally {
      probe.release();
    }
  } catch (error) {
    await pool.end().catch(ignoreError('the connection failure is thrown below; a pool that never connected has nothing to end'));
    throw connectionFailure(options.connectionString, error);
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
    let broken = false;
    try {
      await connection.query('BEGIN');
      const inner: SqlClient = over(connection, async (nested) => nested(inner));
      const result = await work(inner);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection that cannot even roll back is dead (server restart, terminated backend): drop it.
      connection.release(broken);
    }
  };
  const client = over(pool, transaction);
  return {
    kind: 'postgres',
    query: client.query.bind(client),
    exec: client.exec.bind(client),
    transaction,
    async close() {
      await pool.end();
    },
  };
}
