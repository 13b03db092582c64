import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a tool came from, for the report: the project's own install wins over Code Roach's bundled one. */
export interface LoadedModule<T> {
  readonly module: T;
  readonly origin: 'project' | 'bundled';
  readonly resolvedPath: string;
}

/**
 * Imports `name` as the project at `root` would resolve it (its own or a parent workspace's node_modules, with its
 * own version), or
 * Code Roach's bundled copy when the project has none. A project's ESLint loads plugins relative to itself,
 * so running the project's copy is what makes its config behave as in its own CI.
 */
export async function importFromProject<T>(root: string, name: string, trustProjectCode: boolean): Promise<LoadedModule<T>> {
  let resolvedPath: string | null = null;
  try {
    if (trustProjectCode) resolvedPath = createRequire(path.join(root, 'package.json')).resolve(name);
  } catch {
    resolvedPath = null;
  }
  if (resolvedPath !== null) {
    return { module: (await import(pathToFileURL(resolvedPath).href)) as T, origin: 'project', resolvedPath };
  }
  const ownRequire = createRequire(import.meta.url);
  const bundled = ownRequire.resolve(name);
  return { module: (await import(pathToFileURL(bundled).href)) as T, origin: 'bundled', resolvedPath: bundled };
}

/** The project's own `node_modules/.bin/<name>` when it has one. */
export function projectBinary(root: string, name: string): string | null {
  const candidate = path.join(root, 'node_modules', '.bin', name);
  return existsSync(candidate) ? candidate : null;
}
