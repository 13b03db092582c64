import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import type { PipelineStore } from '../crawl/ports.js';
import { migrate } from '../store/migrate.js';
import { lockDataDir } from './data-dir-lock.js';
import { openPglite } from '../store/pglite.js';
import type { PgliteOptions } from '../store/pglite.js';
import { createPipelineStore } from '../store/pipeline-store.js';
import type { Database } from '../store/sql.js';
import { ignoreError } from '../domain/ignore-error.js';

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
export async function openEmbeddedStore(dataDir: string, options: PgliteOptions = {}): Promise<OpenStore> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot create the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
  }
  // The data directory is Code Roach's own: keep it out of the user's git status.
  await writeFile(path.join(dataDir, '.gitignore'), '# Code Roach data (embedded database, lock)\n*\n').catch(ignoreError('cosmetic: only keeps the data directory out of git status; the lock and the database report real I/O problems'));
  const release = await lockDataDir(dataDir);
  let db: Database | undefined;
  let migrated: number[];
  try {
    db = await openPglite(path.join(dataDir, 'pgdata'), options);
    migrated = await migrate(db);
  } catch (error) {
    // an opened database left open keeps the process alive after the error is reported (seen with CR_ERR_STORE_NEWER)
    await db?.close().catch(ignoreError('the open failed and that error is thrown; closing is only so the process can end'));
    await release().catch(ignoreError('the open failed and that error is thrown; a stale lock is taken over by the next run'));
    throw error;
  }
  return {
    store: createPipelineStore(db),
    db,
    migrated,
    async close() {
      await db.close().catch(ignoreError('closing for good: PGlite flushes on every commit, and the lock is released next either way'));
      await release().catch(ignoreError('a lock left behind by this (ending) process is recognised as stale and taken over'));
    },
  };
}
