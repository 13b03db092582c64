import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoachError } from '../domain/errors.js';
import type { SqlClient } from './sql.js';

/** Migrations ship as .sql beside the sources; this works from src/ and from dist/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/store/migrations', import.meta.url));

/** An arbitrary constant shared by every Code Roach process, so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_345_001;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: await readFile(path.join(dir, file), 'utf8'),
    })),
  );
}

/**
 * Brings the schema up to date inside one transaction holding an advisory lock, so two processes
 * starting together never migrate at once. Refuses a database migrated by a newer Code Roach.
 * Returns the versions applied now.
 */
export async function migrate(db: SqlClient, migrations?: readonly Migration[]): Promise<number[]> {
  const known = migrations ?? (await listMigrations());
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...known.map((m) => m.version));
    const newer = [...applied].filter((version) => version > newest);
    if (newer.length > 0) {
      throw new RoachError(
        'CR_ERR_STORE_NEWER',
        `The database is at migration ${Math.max(...newer)}, newer than this Code Roach knows (${newest}); upgrade Code Roach.`,
        { databaseVersion: Math.max(...newer), codeVersion: newest },
      );
    }
    const done: number[] = [];
    for (const migration of known) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}
