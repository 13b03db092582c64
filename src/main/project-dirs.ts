import { stat } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';

/*
 * Apart from settings.ts, which loads the project config (YAML, zod): the review and stats commands only
 * need the project folder and its data directory, and start faster without them.
 */

/** Checks that `dir` is an existing, readable directory and returns its absolute path. */
export async function requireDirectory(dir: string): Promise<string> {
  const root = path.resolve(dir);
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RoachError('CR_ERR_PATH_NOT_FOUND', `No such directory: ${root}`, { path: root });
    throw new RoachError('CR_ERR_PATH_UNREADABLE', `Cannot read ${root}: ${(error as Error).message}`, { path: root });
  }
  if (!info.isDirectory()) throw new RoachError('CR_ERR_NOT_A_DIRECTORY', `${root} is a file; roach crawl takes a directory.`, { path: root });
  return root;
}

/** The data directory: the --data-dir flag, or `.roach` inside the project. */
export function dataDirFor(root: string, flag: string | undefined): string {
  return flag ? path.resolve(flag) : path.join(root, '.roach');
}
