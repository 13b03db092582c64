import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';

/** Whether one of two resolved paths is the other or lies inside it. */
export function pathsOverlap(a: string, b: string): boolean {
  const inside = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
  return inside(a, b) || inside(b, a);
}

/**
 * The real path (links resolved) of a folder to register as a project. Refused: a relative path, a
 * path that does not exist, and anything that is not a directory (a regular file is not a project).
 */
export async function projectFolder(requested: string): Promise<string> {
  if (!path.isAbsolute(requested)) throw new RoachError('CR_ERR_REQUEST_INVALID', 'path must be absolute.', { field: 'path' });
  const real = await realpath(requested).catch(() => {
    throw new RoachError('CR_ERR_PATH_NOT_FOUND', `No directory ${requested}.`, { field: 'path' });
  });
  const info = await stat(real);
  if (!info.isDirectory()) throw new RoachError('CR_ERR_NOT_A_DIRECTORY', `${requested} is not a folder: a project is a directory.`, { field: 'path' });
  return real;
}

/**
 * Checks a folder (a real path) that the API may register: inside one of the server's workspace roots,
 * but never a workspace root itself nor a folder that holds one (that would be every project in it).
 */
export async function checkWorkspaceFolder(real: string, roots: readonly string[]): Promise<void> {
  if (roots.length === 0) throw new RoachError('CR_ERR_FORBIDDEN', 'This server has no workspace roots (ROACH_WORKSPACE_ROOTS): projects cannot be registered through the API.');
  const realRoots = (await Promise.all(roots.map((root) => realpath(root).catch(() => null)))).filter((root): root is string => root !== null);
  const holds = realRoots.find((root) => root === real || root.startsWith(real.endsWith(path.sep) ? real : real + path.sep));
  if (holds !== undefined) throw new RoachError('CR_ERR_FORBIDDEN', 'A workspace root, or a folder holding one, is not a project: register a folder inside it.', { field: 'path' });
  if (!realRoots.some((root) => real.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) {
    throw new RoachError('CR_ERR_FORBIDDEN', `${real} is outside the workspace roots this server may read.`, { field: 'path' });
  }
}
