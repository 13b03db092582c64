import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { RoachError } from '../domain/errors.js';
import type { PipelineStore } from '../pipeline/ports.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pglite.js';
import { createPipelineStore } from '../store/pipeline-store.js';
import type { Database } from '../store/sql.js';

export interface OpenStore {
  readonly store: PipelineStore;
  readonly db: Database;
  close(): Promise<void>;
}

/**
 * Opens the embedded store in `dataDir` for this process alone: a lock file keeps a second crawl
 * (or review) out while this one runs, since the embedded database is single-process. The lock
 * goes stale after 30 s without refresh, so a killed process does not block the next run for long.
 */
export async function openEmbeddedStore(dataDir: string): Promise<OpenStore> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot create the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
  }
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, { lockfilePath: path.join(dataDir, 'roach.lock'), stale: 30_000, update: 10_000, realpath: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new RoachError('CR_ERR_DATA_DIR_LOCKED', `The data directory ${dataDir} is in use by another running roach process; wait for it to finish (a lock left by a killed process expires after 30 s).`, { dataDir });
    }
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot lock the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
  }
  let db: Database;
  try {
    db = await openPglite(path.join(dataDir, 'pgdata'));
    await migrate(db);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return {
    store: createPipelineStore(db),
    db,
    async close() {
      await db.close().catch(() => undefined);
      await release().catch(() => undefined);
    },
  };
}
