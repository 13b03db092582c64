import { randomBytes } from 'node:crypto';
import { open, realpath, rename, stat, unlink, chmod, chown } from 'node:fs/promises';
import path from 'node:path';
import { ignoreError } from '../domain/ignore-error.js';

/** Temp files are hidden siblings with this marker, so a crawl can ignore and clean them. */
export const TEMP_MARKER = '.roach-tmp-';

export function isRoachTempFile(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARKER);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; some file systems refuse fsync on directories, which is harmless.
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(ignoreError('some file systems refuse fsync on directories; the file itself was synced'));
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `bytes` atomically: the bytes go to a temp file in the same directory, are
 * flushed, get the original's mode (and owner when we may), and are renamed over the original.
 * A crash at any point leaves either the old file or the new one, never a mix. A symlink is written
 * through (its target changes, the link stays).
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  // Write through a symlink: renaming over the link itself would turn it into a regular copy.
  const target = await realpath(file).catch(() => file);
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`);
  const existing = await stat(target).catch(() => null);
  const handle = await open(temp, 'wx', existing ? existing.mode & 0o7777 : 0o644);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (existing) {
      await chmod(temp, existing.mode & 0o7777);
      await chown(temp, existing.uid, existing.gid).catch(ignoreError('only root may give a file away: keeping the owner is best effort, the mode is kept'));
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(ignoreError('the write failed and that error is thrown; a leftover temp file is removed by the next crawl'));
    throw error;
  }
  await syncDirectory(dir);
}
