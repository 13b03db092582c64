import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { RuleFile } from './rule-schema.js';

/**
 * The built-in pack as `npm run build` validated it (scripts/rule-pack-cache.mjs): parsing 200-odd YAML
 * files, checking them against the schema and compiling their ast-grep rules takes seconds, and `roach
 * rules list` or a crawl's workers would pay it on every start. An entry is used only for a file whose
 * bytes hash to the ones validated, and the whole cache only while the code that validated it is the code
 * running; anything else is validated as if there were no cache.
 */

/** Changes when the shape of the file does. */
const FORMAT = 1;

export interface RulePackCacheEntry {
  /** sha256 (hex) of the rule file's bytes when it was validated. */
  readonly sha256: string;
  readonly definition: RuleFile;
}

export interface RulePackCache {
  readonly format: number;
  /** sha256 of every compiled module that parses and validates rule files, by path from the cache file's folder. */
  readonly code: Readonly<Record<string, string>>;
  /** Validated rule files by path from the pack's folder, `/`-separated. */
  readonly rules: Readonly<Record<string, RulePackCacheEntry>>;
}

/** Beside the compiled code: dist/rule-pack-cache.json. From src/ (tests, tsx) there is none, so all is validated. */
export const RULE_PACK_CACHE_FILE = fileURLToPath(new URL('../rule-pack-cache.json', import.meta.url));

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function keyOf(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

/**
 * Read synchronously: a load hashes a few hundred small files, and one promise (four thread-pool round
 * trips) per file made that three times slower than the reads themselves.
 */
function hashOf(file: string): string | null {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isCache(value: unknown): value is RulePackCache {
  return isObject(value) && value.format === FORMAT && isObject(value.code) && isObject(value.rules);
}

/** The cache, or null when there is none, it is unreadable, or the validating code changed since it was written. */
export async function readRulePackCache(file: string = RULE_PACK_CACHE_FILE): Promise<RulePackCache | null> {
  let cache: unknown;
  try {
    cache = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isCache(cache)) return null;
  const base = path.dirname(file);
  return Object.entries(cache.code).every(([module, hash]) => hashOf(path.join(base, module)) === hash) ? cache : null;
}

/** The definitions of the `files` of `dir` that still have the bytes the cache validated, by file. */
export function cachedDefinitions(cache: RulePackCache | null, dir: string, files: readonly string[]): Map<string, RuleFile> {
  const hits = new Map<string, RuleFile>();
  if (!cache) return hits;
  for (const file of files) {
    const key = keyOf(dir, file);
    const entry = Object.hasOwn(cache.rules, key) ? cache.rules[key] : undefined;
    if (entry && hashOf(file) === entry.sha256) hits.set(file, entry.definition);
  }
  return hits;
}

export interface RulePackCacheSource {
  /** The pack's folder and its rule files. */
  readonly dir: string;
  readonly files: readonly string[];
  /** Parses and validates one file as loading it would; a file it rejects is left out of the cache. */
  readonly validate: (file: string) => Promise<RuleFile>;
  /** The compiled modules that `validate` runs, and the folder the cache file will be written to. */
  readonly code: readonly string[];
  readonly cacheDir: string;
}

/**
 * Validates the pack for the cache. A file is left out (and so validated at every load) when it is
 * invalid, when it changed while being validated, or when its definition does not come back from JSON
 * exactly as it is: a cached rule must load to the very rule that validating it gives.
 */
export async function buildRulePackCache(source: RulePackCacheSource): Promise<RulePackCache> {
  const code: Record<string, string> = {};
  for (const module of source.code) {
    const hash = hashOf(module);
    if (hash === null) throw new Error(`Cannot read ${module} for the rule pack cache`);
    code[path.relative(source.cacheDir, module).split(path.sep).join('/')] = hash;
  }
  const rules: Record<string, RulePackCacheEntry> = {};
  for (const file of source.files) {
    const before = hashOf(file);
    let definition: RuleFile;
    try {
      definition = await source.validate(file);
    } catch {
      continue;
    }
    if (before === null || hashOf(file) !== before) continue;
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(definition)), definition)) continue;
    rules[keyOf(source.dir, file)] = { sha256: before, definition };
  }
  return { format: FORMAT, code, rules };
}
