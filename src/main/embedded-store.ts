import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import type { PipelineStore } from '../pipeline/ports.js';
import { migrate } from '../store/migrate.js';
import { lockDataDir } from './data-dir-lock.js';
import { openPglite } from '../store/pglite.js';
import { createPipelineStore } from '../store/pipeline-store.js';
import type { Database } from '../store/sql.js';

export interface OpenStore {
  readonly store: PipelineStore;
  readonly db: Database;
  /** Migration versions applied while opening (empty when the schema was current). */
  readonly migrated: readonly number[];
  close(): Promise<void>;
}

/**
 * Opens the embedded store in `dataDir` for this process alone: a lock keeps a second crawl (or
 * review) out while this one runs, since the embedded database is single-process.
 */
export async function openEmbeddedStore(dataDir: string): Promise<OpenStore> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot create the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
  }
  // The data directory is Code Roach's own: keep it out of the user's git status.
  await writeFile(path.join(dataDir, '.gitignore'), '# Code Roach data (embedded database, lock)\n*\n').catch(() => undefined);
  const release = await lockDataDir(dataDir);
  let db: Database;
  let migrated: number[];
  try {
    db = await openPglite(path.join(dataDir, 'pgdata'));
    migrated = await migrate(db);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return {
    store: createPipelineStore(db),
    db,
    migrated,
    async close() {
      await db.close().catch(() => undefined);
      await release().catch(() => undefined);
    },
  };
}
