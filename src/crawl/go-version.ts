import path from 'node:path';
import { readFolderFile } from '../io/project-file.js';

/**
 * The newest Go the Go grammar (tree-sitter-go 0.25, in @ast-grep/lang-go) parses: later syntax, such as
 * Go 1.26's `new(expr)`, is a syntax error to it. Raise this with the grammar.
 */
export const GRAMMAR_GO_VERSION = { major: 1, minor: 25 };

/** The `go 1.26.0` directive of a go.mod text, as numbers. */
export function goDirective(goMod: string): { major: number; minor: number } | null {
  for (const line of goMod.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'go' || words.length < 2) continue;
    const [major, minor] = (words[1] ?? '').split('.').map(Number);
    return Number.isInteger(major) && Number.isInteger(minor) ? { major: major ?? 0, minor: minor ?? 0 } : null;
  }
  return null;
}

/**
 * For a Go file the grammar failed to parse, when Go's own parser is not on this machine: the version of Go
 * its module (the nearest go.mod up to the project root) declares, when that is newer than the grammar
 * knows. Code of such a module may use syntax the grammar has never seen; null otherwise.
 */
export async function newerGoDeclared(root: string, file: string): Promise<string | null> {
  const top = path.resolve(root);
  for (let dir = path.dirname(path.resolve(top, file)); ; dir = path.dirname(dir)) {
    const goMod = await readFolderFile(root, dir, 'go.mod', () => undefined, '');
    if (goMod !== null) {
      const version = goDirective(goMod);
      if (!version) return null;
      const newer = version.major > GRAMMAR_GO_VERSION.major || (version.major === GRAMMAR_GO_VERSION.major && version.minor > GRAMMAR_GO_VERSION.minor);
      return newer ? `${version.major}.${version.minor}` : null;
    }
    if (dir === top || !dir.startsWith(top)) return null;
  }
}
