import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoachError } from '../domain/errors.js';
import type { RuleFile } from './rule-schema.js';
import { cachedDefinitions, readRulePackCache } from './rule-pack-cache.js';

/**
 * Rule folders and the order their files load in, apart from parsing and compiling (rules.ts): this module
 * loads no YAML parser, schema library or ast-grep, so `roach rules list` can run on the build's cache alone.
 */

/** A rule file that could not be loaded: skipped, and reported, so one bad file never stops a crawl. */
export interface RuleProblem {
  readonly file: string;
  readonly message: string;
}

/** The built-in pack ships as YAML beside the sources; this works from src/ and from dist/. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../src/rules', import.meta.url));

export async function listRuleFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    throw new RoachError('CR_ERR_RULE_INVALID', `Cannot read the rule folder ${dir}: ${(error as Error).message}`, { dir });
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yml') && !entry.name.endsWith('.test.yml'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Loads one rule file: `cached` is its definition as the build validated it when the file still has the
 * bytes the build saw (built-in pack only); undefined means it must be parsed and validated now.
 */
export type RuleFileLoader<T> = (file: string, rootDir: string, cached: RuleFile | undefined) => Promise<T>;

/**
 * Loads the built-in pack, then each extra folder, file by file in name order. A malformed file or an
 * unreadable folder among the extra ones is skipped and listed in `problems`; in the built-in pack, which
 * means a broken installation, it is thrown.
 */
export async function loadRuleFolders<T>(extraDirs: readonly string[], load: RuleFileLoader<T>): Promise<{ loaded: T[]; problems: RuleProblem[] }> {
  const loaded: T[] = [];
  const problems: RuleProblem[] = [];
  const skip = (file: string, error: unknown, builtIn: boolean): void => {
    if (builtIn || !(error instanceof RoachError) || error.code !== 'CR_ERR_RULE_INVALID') throw error;
    problems.push({ file, message: error.message });
  };
  for (const dir of [BUILTIN_RULES_DIR, ...extraDirs]) {
    const builtIn = dir === BUILTIN_RULES_DIR;
    let files: string[] = [];
    try {
      files = await listRuleFiles(dir);
    } catch (error) {
      skip(dir, error, builtIn);
    }
    const cached = builtIn ? cachedDefinitions(await readRulePackCache(), dir, files) : new Map<string, RuleFile>();
    for (const file of files) {
      try {
        loaded.push(await load(file, dir, cached.get(file)));
      } catch (error) {
        skip(file, error, builtIn);
      }
    }
  }
  return { loaded, problems };
}
