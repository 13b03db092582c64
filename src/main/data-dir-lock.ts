import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import { ignoreError } from '../domain/ignore-error.js';

const LOCK_NAME = 'roach.lock';
const OWNER_FILE = 'owner.json';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(lockDir: string): Promise<Owner | null> {
  try {
    const owner = JSON.parse(await readFile(path.join(lockDir, OWNER_FILE), 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as Owner) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory for this process alone (the embedded database is single-process) and
 * returns the release function.
 *
 * The lock is a folder holding its owner's pid and host, built aside and renamed into place, so it
 * never exists without its owner: renaming onto an existing, non-empty lock fails atomically. A lock
 * whose owner is a dead process on this host (killed, crashed) is taken over at once; a live owner,
 * or one on another host, is reported with its pid and host.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockDir = path.join(dataDir, LOCK_NAME);
  const me: Owner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    const staging = path.join(dataDir, `.${LOCK_NAME}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(staging);
      await writeFile(path.join(staging, OWNER_FILE), JSON.stringify(me));
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new RoachError('CR_ERR_STORE_FAILED', `Cannot lock the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
    }
    try {
      await rename(staging, lockDir);
      return async () => {
        const owner = await readOwner(lockDir);
        if (owner?.pid === me.pid && owner.host === me.host) await rm(lockDir, { recursive: true, force: true });
      };
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
        throw new RoachError('CR_ERR_STORE_FAILED', `Cannot lock the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
      }
    }
    const owner = await readOwner(lockDir);
    if (owner && (owner.host !== me.host || isAlive(owner.pid))) {
      const where = owner.host === me.host ? `process ${owner.pid}` : `process ${owner.pid} on host ${owner.host}`;
      throw new RoachError(
        'CR_ERR_DATA_DIR_LOCKED',
        `The data directory ${dataDir} is in use by another running roach process (${where}, since ${owner.startedAt}); wait for it to finish, or remove ${lockDir} if that process is gone.`,
        { dataDir, owner },
      );
    }
    // The owner is dead (or the lock is unreadable debris): move it aside atomically, then retry.
    const tombstone = path.join(dataDir, `.${LOCK_NAME}.stale.${randomBytes(4).toString('hex')}`);
    await rename(lockDir, tombstone).catch(ignoreError('another process moved the stale lock first; the retry below sees the outcome'));
    await rm(tombstone, { recursive: true, force: true });
  }
  throw new RoachError('CR_ERR_DATA_DIR_LOCKED', `The data directory ${dataDir} is contended by other roach processes; try again.`, { dataDir });
}
