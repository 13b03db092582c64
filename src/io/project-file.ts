import { constants } from 'node:fs';
import { lstat, open, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

/** Whether `real` (a resolved path) is `realRoot` or lies inside it. */
export function isInside(real: string, realRoot: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
}

/** A project file that could not be read; `reason` is what the crawl reports it as skipped for. */
export class ProjectFileError extends Error {
  constructor(
    readonly reason: 'symlink-outside-root' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** Where an open file really is: the kernel's answer for the descriptor (Linux), else the resolved path. */
async function openedPath(fd: number, absolute: string): Promise<string> {
  return readlink(`/proc/self/fd/${fd}`).catch(() => realpath(absolute));
}

/**
 * Reads a file of the project, refusing anything that is not a regular file inside `root` once links
 * are resolved. The walk already leaves out links that lead outside; this holds at read time too, so a
 * file swapped for a link (or a folder on its path swapped for one) after the walk is not read: the
 * last component is opened without following links, and where the opened file really lives is asked
 * of the kernel for the open descriptor, not of a path that could change in between. Non-blocking, so
 * a FIFO put in a file's place cannot hang the crawl.
 */
export async function readProjectFile(root: string, absolute: string): Promise<Buffer> {
  const realRoot = await realpath(root);
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ELOOP') throw new ProjectFileError('unreadable', error.message);
    const target = await realpath(absolute).catch(() => null);
    if (target !== null && !isInside(target, realRoot)) throw new ProjectFileError('symlink-outside-root', `links to ${target}, outside the project`);
    throw new ProjectFileError('unreadable', 'became a symbolic link after the walk');
  });
  try {
    const real = await openedPath(handle.fd, absolute);
    if (!isInside(real, realRoot)) throw new ProjectFileError('symlink-outside-root', `resolves to ${real}, outside the project`);
    const stats = await handle.stat();
    if (!stats.isFile()) throw new ProjectFileError('unreadable', 'not a regular file');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * A per-folder settings file (`.gitignore`, `.gitattributes`) of `dir`, read through readProjectFile:
 * its text, or null when the folder has none (most have none, and that is no news) or it cannot be read,
 * which `warn` is told about with `consequence` (what was not applied because of it).
 */
export async function readFolderFile(root: string, dir: string, name: string, warn: (file: string, message: string) => void, consequence: string): Promise<string | null> {
  const file = path.join(dir, name);
  const present = await lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  if (!present) return null;
  try {
    return (await readProjectFile(root, file)).toString('utf8');
  } catch (error) {
    warn(file, `cannot read it: ${(error as Error).message}; ${consequence}`);
    return null;
  }
}
