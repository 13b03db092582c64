import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Folders that are linked into the copy instead of copied: big, and never touched by a fix. */
const LINKED = new Set(['node_modules']);
const LEFT_OUT = new Set(['.git', '.roach']);

export interface IsolatedCopy {
  readonly dir: string;
  /** Absolute folders of the project the copy links to instead of holding (a sandbox mounts them read-only). */
  readonly linked: readonly string[];
  dispose(): Promise<void>;
}

/**
 * Copies a project to a temporary folder so that validation commands run against fixed files without
 * touching the user's tree. Dependency folders are symlinked, version control and Code Roach data
 * left out.
 */
export async function makeIsolatedCopy(root: string, extraLeftOut: readonly string[] = []): Promise<IsolatedCopy> {
  const dir = await mkdtemp(path.join(tmpdir(), 'roach-validate-'));
  const toLink: string[] = [];
  const leftOut = new Set(extraLeftOut.map((p) => path.resolve(p)));
  await cp(root, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const name = path.basename(source);
      if (source === root) return true;
      if (LEFT_OUT.has(name) || leftOut.has(source)) return false;
      if (LINKED.has(name)) {
        toLink.push(source);
        return false;
      }
      return true;
    },
  });
  for (const source of toLink) {
    await symlink(source, path.join(dir, path.relative(root, source)), 'dir');
  }
  return { dir, linked: toLink, dispose: () => rm(dir, { recursive: true, force: true }) };
}
