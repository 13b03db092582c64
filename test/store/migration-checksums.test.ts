import { appendFile, cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/main/embedded-store.js';
import { listMigrations, migrate, MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { dropSchema } from '../helpers/postgres.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';
import { storeBackends } from '../helpers/store-backends.js';

afterAll(cleanupTemp);

/** The shipped migrations copied to a folder this test may edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await tempDir('roach-migrations-');
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe.each(await storeBackends())('migration checksums ($name)', (backend) => {
  afterAll(async () => {
    if (backend.schema) await dropSchema(backend.schema);
  });

  it.skipIf(backend.skip)('records each applied migration\'s sha256 and refuses a database whose applied migrations were edited or removed', async () => {
    const dir = await migrationsCopy();
    const db = await backend.open();
    try {
      const shipped = await listMigrations(dir);
      expect((await migrate(db, shipped)).length).toBe(shipped.length);
      const rows = await db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => [Number(r.version), r.checksum])).toEqual(shipped.map((m) => [m.version, m.checksum]));
      expect(await migrate(db, await listMigrations(dir))).toEqual([]);

      // A migration that already ran is edited afterwards: the next start-up refuses, naming the file.
      await appendFile(path.join(dir, '0001_core.sql'), '\nALTER TABLE projects ADD COLUMN sneaky text;\n');
      const edited = migrate(db, await listMigrations(dir));
      await expect(edited).rejects.toMatchObject({ code: 'CR_ERR_MIGRATION_CHANGED', details: { file: '0001_core.sql' } });
      await expect(migrate(db, await listMigrations(dir))).rejects.toThrow(/Migration 0001_core\.sql differs from the one applied/);

      // An applied migration that is no longer shipped is refused too.
      await rm(path.join(dir, '0005_learning.sql'));
      await cp(path.join(MIGRATIONS_DIR, '0001_core.sql'), path.join(dir, '0001_core.sql'));
      await expect(migrate(db, await listMigrations(dir))).rejects.toMatchObject({ code: 'CR_ERR_MIGRATION_CHANGED', details: { file: '0005_learning.sql' } });
    } finally {
      await db.close();
    }
  }, 60_000);

  it.skipIf(backend.skip)('upgrades a database from before checksums: backfills them from the shipped files, then checks them', async () => {
    const dir = await migrationsCopy();
    const db = await backend.open();
    try {
      await migrate(db, await listMigrations(dir));
      // What a database migrated by an older Code Roach looks like.
      await db.exec('ALTER TABLE schema_migrations DROP COLUMN checksum');
      expect(await migrate(db, await listMigrations(dir))).toEqual([]);
      const rows = await db.query<{ checksum: string | null }>('SELECT checksum FROM schema_migrations');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => typeof r.checksum === 'string' && r.checksum.length === 64)).toBe(true);
      await appendFile(path.join(dir, '0002_tenancy.sql'), '\n-- edited after it ran\n');
      await expect(migrate(db, await listMigrations(dir))).rejects.toMatchObject({ code: 'CR_ERR_MIGRATION_CHANGED', details: { file: '0002_tenancy.sql' } });
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('start-up of the embedded store', () => {
  it('refuses a data directory whose database applied a different 0001_core.sql than the one shipped', async () => {
    const dataDir = await tempDir('roach-data-');
    await (await openEmbeddedStore(dataDir)).close();
    // What a database migrated before someone edited 0001_core.sql looks like: another checksum on record.
    const raw = await openPglite(path.join(dataDir, 'pgdata'));
    await raw.query("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 1");
    await raw.close();
    await expect(openEmbeddedStore(dataDir)).rejects.toMatchObject({ code: 'CR_ERR_MIGRATION_CHANGED', message: expect.stringContaining('0001_core.sql') });
  }, 60_000);
});
