import { lstat, readFile, realpath, unlink } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import { contentHash } from '../domain/fingerprint.js';
import { writeFileAtomic } from '../io/atomic-write.js';

export interface FileChange {
  /** Project-relative POSIX path. */
  readonly path: string;
  /** What the file must hold now; anything else means someone changed it and nothing is written. */
  readonly expectedSha256: string;
  readonly newBytes: Uint8Array;
  /** Bytes to put back if a later file of the same change fails. */
  readonly restoreBytes: Uint8Array;
  /** The file must not exist (a fix's new file): it is created, and deleted again if a later file fails. */
  readonly create?: boolean;
  /** The file is deleted (rolling back a fix that created it) instead of written. */
  readonly remove?: boolean;
}

function absolute(root: string, relative: string): string {
  // Normalised first: a root given as `/p/` or `./p` must not make every path look outside it.
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  if (file !== base && !file.startsWith(base + path.sep)) {
    throw new RoachError('CR_ERR_APPLY_FAILED', `Refusing to write ${relative}: it is outside the project root ${root}`, { file: relative });
  }
  return file;
}

/**
 * The file's real location must be inside the project too: a symlink inside the tree that points
 * elsewhere is never written through.
 */
async function requireRealPathInside(root: string, file: string, relative: string): Promise<void> {
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file).catch(() => file)]);
  if (realFile !== realRoot && !realFile.startsWith(realRoot + path.sep)) {
    throw new RoachError('CR_ERR_APPLY_FAILED', `Refusing to write ${relative}: it resolves to ${realFile}, outside the project root ${root}`, { file: relative });
  }
}

/** The file must not exist yet: a fix creating it must not overwrite what someone put there since. */
async function requireAbsent(file: string, relative: string): Promise<void> {
  const present = await lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  if (present) throw new RoachError('CR_ERR_FILE_CHANGED', `${relative} exists now but did not when the fix was made; nothing was written.`, { file: relative });
}

/** Checks that the file still holds what the change expects (or, for a new file, that there is none). */
async function requireExpected(root: string, change: FileChange): Promise<void> {
  // Outside any try: a path escaping the root is refused as such, not reported as a changed file.
  const file = absolute(root, change.path);
  if (change.create) {
    await requireRealPathInside(root, path.dirname(file), path.dirname(change.path));
    return requireAbsent(file, change.path);
  }
  await requireRealPathInside(root, file, change.path);
  let current: Uint8Array;
  try {
    current = await readFile(file);
  } catch (error) {
    throw new RoachError('CR_ERR_FILE_CHANGED', `${change.path} cannot be read any more (${(error as Error).message}); nothing was written.`, { file: change.path });
  }
  if (contentHash(current) !== change.expectedSha256) {
    throw new RoachError('CR_ERR_FILE_CHANGED', `${change.path} changed since the fix was made; nothing was written.`, { file: change.path });
  }
}

/** Writes (or deletes) one file of a change. */
async function writeOne(root: string, change: FileChange): Promise<void> {
  const file = absolute(root, change.path);
  if (change.remove) await unlink(file);
  else await writeFileAtomic(file, change.newBytes);
}

/** Reads a written file back: what is on disk must be what was meant. */
async function verifyOne(root: string, change: FileChange): Promise<void> {
  if (change.remove) return;
  const readBack = await readFile(absolute(root, change.path));
  if (contentHash(readBack) !== contentHash(change.newBytes)) {
    throw new Error(`read-back of ${change.path} does not match what was written`);
  }
}

/** Puts one file of a change back as it was: a created file is deleted, a deleted one written again. */
async function restoreOne(root: string, change: FileChange): Promise<void> {
  const file = absolute(root, change.path);
  if (change.create) await unlink(file);
  else await writeFileAtomic(file, change.restoreBytes);
}

/**
 * Writes a multi-file change as one unit: every file is checked first (unchanged since the fix was
 * made; absent, for a file the fix creates), then written atomically and read back. If any write or
 * read-back fails, the files already written get their previous state back (a created file is deleted)
 * and CR_ERR_APPLY_FAILED is thrown.
 */
export async function writeChange(root: string, changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) await requireExpected(root, change);
  const written: FileChange[] = [];
  try {
    for (const change of changes) {
      await writeOne(root, change);
      // Only once it was replaced: a failed atomic write left the file as it was.
      written.push(change);
      await verifyOne(root, change);
    }
  } catch (error) {
    const restoreFailures: string[] = [];
    for (const change of written.reverse()) {
      await restoreOne(root, change).catch((restoreError: Error) => {
        restoreFailures.push(`${change.path}: ${restoreError.message}`);
      });
    }
    const suffix = restoreFailures.length > 0 ? ` Restoring also failed for ${restoreFailures.join('; ')}.` : ' Previous contents were restored.';
    throw new RoachError('CR_ERR_APPLY_FAILED', `Writing the fix failed: ${(error as Error).message}.${suffix}`, {}, { cause: error });
  }
}
