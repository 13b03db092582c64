import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { RoachError } from '../domain/errors.js';

const LOCK_NAME = 'roach.lock';
const OWNER_NAME = 'roach.lock.owner';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock's recorded owner is a process on this host that no longer exists. */
async function ownerIsDead(dataDir: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(path.join(dataDir, OWNER_NAME), 'utf8')) as { pid?: unknown; host?: unknown };
    return owner.host === hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid);
  } catch {
    return false;
  }
}

async function tryLock(dataDir: string): Promise<() => Promise<void>> {
  // The lock's mtime is refreshed every 2 s; one not refreshed for 20 s is stale (a frozen or
  // killed process on another host). A killed process on this host is detected at once by its pid.
  return lockfile.lock(dataDir, { lockfilePath: path.join(dataDir, LOCK_NAME), stale: 20_000, update: 2_000, realpath: false });
}

/**
 * Takes the data directory for this process alone (the embedded database is single-process).
 * Returns the release function. A lock left by a process killed with SIGKILL is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  let release: () => Promise<void>;
  try {
    try {
      release = await tryLock(dataDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || !(await ownerIsDead(dataDir))) throw error;
      await rm(path.join(dataDir, LOCK_NAME), { recursive: true, force: true });
      release = await tryLock(dataDir);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new RoachError('CR_ERR_DATA_DIR_LOCKED', `The data directory ${dataDir} is in use by another running roach process; wait for it to finish.`, { dataDir });
    }
    throw new RoachError('CR_ERR_STORE_FAILED', `Cannot lock the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
  }
  await writeFile(path.join(dataDir, OWNER_NAME), JSON.stringify({ pid: process.pid, host: hostname() }));
  return async () => {
    await rm(path.join(dataDir, OWNER_NAME), { force: true });
    await release();
  };
}
