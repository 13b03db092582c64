import path from 'node:path';
import { parse } from '@ast-grep/napi';
import type { NapiConfig } from '@ast-grep/napi';
import { astGrepLang } from '../engine/languages.js';
import type { Language } from '../domain/finding.js';
import { readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';

/** The most modules followed from a project's developer scripts, so a crawl's cost stays bounded. */
const MAX_FOLLOWED = 500;
const EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '/index.js', '/index.ts'];

/** `import … from './x'`, `export … from './x'`, `require('./x')`, `import('./x')`: the specifier strings. */
const SPECIFIERS: NapiConfig = {
  rule: {
    kind: 'string',
    any: [
      { inside: { kind: 'import_statement' } },
      { inside: { kind: 'export_statement' } },
      {
        inside: {
          kind: 'arguments',
          inside: { kind: 'call_expression', has: { field: 'function', any: [{ kind: 'import' }, { kind: 'identifier', regex: '^require$' }] } },
        },
      },
    ],
  },
};

interface ScriptFile {
  readonly path: string;
  readonly absolutePath: string;
  readonly language: string;
}

async function relativeImports(root: string, file: ScriptFile): Promise<string[]> {
  const language = file.language as Language;
  if (language !== 'javascript' && language !== 'typescript' && language !== 'tsx') return [];
  const bytes = await readProjectFile(root, file.absolutePath).catch(() => null);
  const decoded = bytes ? decodeSource(bytes) : null;
  if (!decoded?.ok) return [];
  return parse(astGrepLang(language), decoded.text)
    .root()
    .findAll(SPECIFIERS)
    .map((node) => node.text().slice(1, -1))
    .filter((specifier) => specifier.startsWith('./') && !specifier.includes('..'));
}

/**
 * The modules that developer scripts import from their own folder or below (`release.mjs` importing
 * `./lib.mjs`, which imports `./update-version.mjs`): tooling too. Imports that climb out of the script's
 * folder (`../server/db.js`) reach code the application shares, so they are not followed.
 */
export async function scriptModules(root: string, scripts: readonly string[], files: readonly ScriptFile[], excluded: ReadonlySet<string>): Promise<string[]> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const found = new Set(scripts);
  const queue = [...scripts];
  const added: string[] = [];
  while (queue.length > 0 && added.length < MAX_FOLLOWED) {
    const current = byPath.get(queue.shift() ?? '');
    if (!current) continue;
    for (const specifier of await relativeImports(root, current)) {
      const base = path.posix.join(path.posix.dirname(current.path), specifier);
      const target = EXTENSIONS.map((extension) => base + extension).find((candidate) => byPath.has(candidate));
      if (!target || found.has(target) || excluded.has(target)) continue;
      found.add(target);
      added.push(target);
      queue.push(target);
    }
  }
  return added;
}
