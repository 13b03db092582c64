/**
 * Where a project keeps linter configurations below its root: a monorepo's packages (`packages/web/`),
 * a `server/` beside a `client/`, each with its own ESLint configuration (often `eslintConfig` in its
 * package.json). Only the first two levels are looked at, with one directory listing per folder, so the
 * cost stays at a few dozen listings however large the tree; deeper configurations are rare and are
 * left to `.roach.yml`.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Folders that hold no configuration of the project's own code. */
const NOT_SOURCE = new Set(['node_modules', 'bower_components', 'vendor', 'dist', 'build', 'coverage', 'out', 'target']);

/** At most this many folders are listed; a tree wider than that keeps its root configuration only. */
const MAX_LISTINGS = 400;

async function entries(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

/** Sub-folders to look into: real directories (not symlinks), not hidden, not dependencies or build output. */
function subFolders(listing: readonly Dirent[]): string[] {
  return listing
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_SOURCE.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** The folders one or two levels below the root (relative, `/`-separated) holding one of the named files. */
export async function configFolders(root: string, fileNames: ReadonlySet<string>): Promise<string[]> {
  const found: string[] = [];
  let listings = 0;
  const holdsConfig = (listing: readonly Dirent[]): boolean => listing.some((entry) => entry.isFile() && fileNames.has(entry.name));
  for (const first of subFolders(await entries(root))) {
    if (++listings > MAX_LISTINGS) break;
    const listing = await entries(path.join(root, first));
    if (holdsConfig(listing)) found.push(first);
    for (const second of subFolders(listing)) {
      if (++listings > MAX_LISTINGS) break;
      if (holdsConfig(await entries(path.join(root, first, second)))) found.push(`${first}/${second}`);
    }
  }
  return found;
}
