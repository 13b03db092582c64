import { createHash } from 'node:crypto';
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
  /** sha256 (hex) of the file's bytes: what the database records when it applies the migration. */
  readonly checksum: string;
}

/** `0001_core.sql`: how operators know a migration. */
export function migrationFile(migration: Pick<Migration, 'version' | 'name'>): string {
  return `${String(migration.version).padStart(4, '0')}_${migration.name}.sql`;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(path.join(dir, file));
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
}

/**
 * Applied migrations must be exactly the shipped files: an edited one means this database's schema
 * is not what the code expects (and never will be, since it is not applied again). Rows from before
 * checksums were recorded take the shipped file's checksum once (the file cannot be checked further
 * back than that).
 */
async function checkApplied(tx: SqlClient, known: readonly Migration[]): Promise<void> {
  const rows = await tx.query<{ version: number; name: string; checksum: string | null }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  const byVersion = new Map(known.map((m) => [m.version, m]));
  for (const row of rows) {
    const applied = { version: Number(row.version), name: row.name };
    const shipped = byVersion.get(applied.version);
    if (!shipped || shipped.name !== applied.name) {
      throw new RoachError(
        'CR_ERR_MIGRATION_CHANGED',
        `Migration ${migrationFile(applied)} was applied to this database but ${shipped ? `the shipped file is ${migrationFile(shipped)}` : 'is not shipped with this Code Roach'}; refusing to start.`,
        { file: migrationFile(applied) },
      );
    }
    if (row.checksum === null) {
      await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [shipped.version, shipped.checksum]);
      continue;
    }
    if (row.checksum !== shipped.checksum) {
      throw new RoachError(
        'CR_ERR_MIGRATION_CHANGED',
        `Migration ${migrationFile(shipped)} differs from the one applied to this database (sha256 ${shipped.checksum.slice(0, 12)}… shipped, ${row.checksum.slice(0, 12)}… applied); applied migrations are never edited, so refusing to start: restore the file, or add a new migration for the change.`,
        { file: migrationFile(shipped), shipped: shipped.checksum, applied: row.checksum },
      );
    }
  }
}

/**
 * Brings the schema up to date inside one transaction holding an advisory lock, so two processes
 * starting together never migrate at once. Refuses a database migrated by a newer Code Roach, and
 * one whose applied migrations differ from the shipped files (checksums). Returns the versions applied now.
 */
export async function migrate(db: SqlClient, migrations?: readonly Migration[]): Promise<number[]> {
  const known = migrations ?? (await listMigrations());
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      checksum text
    )`);
    // Databases from before checksums were recorded get the column here; checkApplied fills it.
    await tx.exec('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
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
    await checkApplied(tx, known);
    const done: number[] = [];
    for (const migration of known) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
      done.push(migration.version);
    }
    return done;
  });
}
