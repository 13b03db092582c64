import path from 'node:path';
import { editionOf } from '../domain/es-edition.js';
import { ignoreError } from '../domain/ignore-error.js';
import type { TargetDeclaration } from './eslint-target.js';
import { isRecord } from './eslint-target.js';

/** Reads a project file's text by project-relative path; null when it is absent or out of bounds. */
export type ReadText = (root: string, relative: string) => Promise<string | null>;

/** Chains longer than this are a loop or a mistake, not configuration. */
const MAX_EXTENDS_DEPTH = 10;

/**
 * `tsconfig.json`'s `compilerOptions.target`, following `extends` (relative files, and packages installed
 * under the project's node_modules; a file outside the project is not read). Without a target anywhere
 * in the chain nothing is declared: TypeScript's default target says nothing about the project, and
 * `lib` (which only types the built-ins) is often narrower than the code, e.g. a config that only
 * checks a package's type declarations.
 */
export async function tsconfigTarget(root: string, read: ReadText): Promise<TargetDeclaration | null> {
  const ts = await loadTypescript(root, read);
  if (!ts) return null;
  const options = await compilerOptionsChain(root, 'tsconfig.json', read, ts.parse, new Set());
  for (const [file, compilerOptions] of options) {
    const edition = editionOf(compilerOptions['target']);
    if (edition !== null) return { edition, source: `${file} compilerOptions.target` };
  }
  return null;
}

export type ParseJsonc = (file: string, text: string) => unknown;

/** TypeScript is loaded only for a project that has a tsconfig.json (it takes a while to load). */
async function loadTypescript(root: string, read: ReadText): Promise<{ parse: ParseJsonc } | null> {
  if ((await read(root, 'tsconfig.json')) === null) return null;
  const ts = (await import('typescript')).default;
  return { parse: (file, text) => ts.parseConfigFileTextToJson(file, text).config as unknown };
}

/** The compilerOptions of a config and of what it extends, nearest first (a later extends wins over an earlier). */
export async function compilerOptionsChain(root: string, file: string, read: ReadText, parse: ParseJsonc, seen: Set<string>): Promise<[string, Record<string, unknown>][]> {
  if (seen.has(file) || seen.size >= MAX_EXTENDS_DEPTH) return [];
  seen.add(file);
  const text = await read(root, file);
  const config = text === null ? null : parse(file, text);
  if (!isRecord(config)) return [];
  const own = isRecord(config['compilerOptions']) ? [[file, config['compilerOptions']] as [string, Record<string, unknown>]] : [];
  const extended = [config['extends']].flat().filter((value): value is string => typeof value === 'string').reverse();
  const inherited: [string, Record<string, unknown>][] = [];
  for (const specifier of extended) {
    const base = await resolveExtends(root, file, specifier, read);
    if (base) inherited.push(...(await compilerOptionsChain(root, base, read, parse, seen)));
  }
  return [...own, ...inherited];
}

/** Where an `extends` points, project-relative: a relative file, or a package's config under node_modules. */
async function resolveExtends(root: string, from: string, specifier: string, read: ReadText): Promise<string | null> {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  const base = relative ? path.posix.join(path.posix.dirname(from), specifier) : path.posix.join('node_modules', specifier);
  if (base.startsWith('../')) return null;
  const candidates = [base, `${base}.json`, path.posix.join(base, 'tsconfig.json')];
  if (!relative) {
    // A package names its config in package.json `tsconfig` (as TypeScript resolves it).
    const manifest = await read(root, path.posix.join(base, 'package.json'));
    const field = manifest === null ? null : parseManifestField(manifest);
    if (field) candidates.unshift(path.posix.join(base, field));
  }
  for (const candidate of candidates) if (candidate.endsWith('.json') && (await read(root, candidate)) !== null) return candidate;
  return null;
}

function parseManifestField(text: string): string | null {
  try {
    const manifest: unknown = JSON.parse(text);
    return isRecord(manifest) && typeof manifest['tsconfig'] === 'string' ? manifest['tsconfig'] : null;
  } catch (error) {
    ignoreError('a package.json that is not JSON names no tsconfig')(error);
    return null;
  }
}
