import path from 'node:path';
import type { PathAliasConfig, PathAliases } from '../engine/module-join.js';
import { isRecord } from './eslint-target.js';
import type { ParseJsonc, ReadText } from './tsconfig-target.js';
import { compilerOptionsChain } from './tsconfig-target.js';

/** The config files that declare path aliases, in the order TypeScript's tools look for them in a folder. */
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** `''` for the project root, else the folder as a normalized project-relative path. */
function folderOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : dir;
}

function underFolder(folder: string, relative: string): string {
  const joined = path.posix.normalize(path.posix.join(folder, relative));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

const CONFIG_DIR = '${configDir}';

/** A folder a config names: `${configDir}` is the folder of the config in use (TypeScript 5.5), even when a base declares it. */
function namedFolder(declaredIn: string, leaf: string, value: string): string {
  return value.startsWith(CONFIG_DIR) ? underFolder(leaf, `.${value.slice(CONFIG_DIR.length)}`) : underFolder(declaredIn, value);
}

/**
 * The `baseUrl` and `paths` in effect for a config, following `extends` (the nearest declaration of each
 * wins): baseUrl is relative to the config that declares it, `paths` targets to baseUrl when there is
 * one, else to the config that declares `paths`, and `${configDir}` to the config in use (as TypeScript
 * resolves them).
 */
async function aliasConfig(root: string, file: string, read: ReadText, parse: ParseJsonc): Promise<PathAliasConfig> {
  const chain = await compilerOptionsChain(root, file, read, parse, new Set());
  const leaf = folderOf(file);
  const withBase = chain.find(([, options]) => typeof options['baseUrl'] === 'string');
  const baseUrl = withBase ? namedFolder(folderOf(withBase[0]), leaf, String(withBase[1]['baseUrl'])) : null;
  const withPaths = chain.find(([, options]) => isRecord(options['paths']));
  const declared = withPaths && isRecord(withPaths[1]['paths']) ? withPaths[1]['paths'] : {};
  const pathsBase = baseUrl ?? (withPaths ? folderOf(withPaths[0]) : '');
  const paths = Object.entries(declared).flatMap(([pattern, targets]) => {
    const listed = Array.isArray(targets) ? targets.filter((target): target is string => typeof target === 'string') : [];
    return listed.length === 0 ? [] : [Object.freeze({ pattern, targets: Object.freeze(listed.map((target) => namedFolder(pathsBase, leaf, target))) })];
  });
  return Object.freeze({ baseUrl, paths: Object.freeze(paths) });
}

/**
 * The path aliases that apply to the given files: the tsconfig (or jsconfig) nearest above each, read as
 * data once per crawl (JSON with comments, through TypeScript's reader). Folders without a config are
 * left out; a file is resolved with the config of its nearest folder that has one.
 */
export async function loadPathAliases(root: string, files: readonly string[], read: ReadText): Promise<PathAliases> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = folderOf(file); !folders.has(folder); folder = folderOf(folder)) {
      folders.add(folder);
      if (folder === '') break;
    }
  }
  const aliases: Record<string, PathAliasConfig> = {};
  let parse: ParseJsonc | null = null;
  for (const folder of [...folders].sort()) {
    for (const name of CONFIG_NAMES) {
      const file = path.posix.join(folder, name);
      if ((await read(root, file)) === null) continue;
      if (!parse) {
        const ts = (await import('typescript')).default;
        parse = (configFile, text) => ts.parseConfigFileTextToJson(configFile, text).config as unknown;
      }
      aliases[folder] = await aliasConfig(root, file, read, parse);
      break;
    }
  }
  return Object.freeze(aliases);
}
