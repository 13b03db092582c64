import path from 'node:path';
import browserslist from 'browserslist';
import { parse as parseYaml } from 'yaml';
import { editionName, editionOf } from '../domain/es-edition.js';
import type { EsEdition } from '../domain/es-edition.js';
import { ignoreError } from '../domain/ignore-error.js';
import { readProjectFile } from '../io/project-file.js';
import type { TargetEffects } from '../engine/target.js';
import { FLAT_CONFIGS, isRecord, LEGACY_CONFIGS, legacyConfigTarget, scriptConfigTarget } from './eslint-target.js';
import type { TargetDeclaration } from './eslint-target.js';
import { editionOfBrowsers, editionOfNode, minimumVersion } from './target-tables.js';
import { tsconfigTarget } from './tsconfig-target.js';

export type { TargetDeclaration } from './eslint-target.js';

/**
 * The ECMAScript edition a project's code must keep to: the lowest it declares anywhere (tsconfig,
 * ESLint, browserslist, engines.node), or the one `.roach.yml` sets. Null edition: nothing declared, no
 * restriction. Found once per crawl, from the project's files read as data (no project code runs).
 */
export interface ProjectTarget {
  readonly edition: EsEdition | null;
  /** Where the effective edition comes from, e.g. `.eslintrc.json parserOptions.ecmaVersion`. */
  readonly source: string | null;
  /** Every declaration found, the effective one among them. */
  readonly declared: readonly TargetDeclaration[];
}

/** `.roach.yml` `target`: `auto` (detect), or an edition that replaces detection. */
export type ConfiguredTarget = 'auto' | EsEdition;

/** Config files above this size are not project configuration worth reading. */
const CONFIG_FILE_LIMIT = 1_048_576;

/** Reads a small text file of the project; null when absent, unreadable, outside it or too big. */
export async function readConfigText(root: string, relative: string): Promise<string | null> {
  const bytes = await readProjectFile(root, path.join(root, relative)).catch(() => null);
  return bytes && bytes.length <= CONFIG_FILE_LIMIT ? bytes.toString('utf8') : null;
}

/** The project's target: `.roach.yml`'s when set, else the lowest declared, else unknown. */
export async function detectProjectTarget(root: string, configured: ConfiguredTarget = 'auto'): Promise<ProjectTarget> {
  if (configured !== 'auto') return { edition: configured, source: '.roach.yml target', declared: [{ edition: configured, source: '.roach.yml target' }] };
  const packageJson = await readPackageJson(root);
  const declared = (await Promise.all([tsconfigTarget(root, readConfigText), eslintTarget(root, packageJson), browserslistTarget(root, packageJson), Promise.resolve(enginesTarget(packageJson))])).flatMap((found) => (found ? [found] : []));
  return lowestOf(declared);
}

/** The lowest of the declarations wins (the oldest runtime a project supports bounds all its code). */
export function lowestOf(declared: readonly TargetDeclaration[]): ProjectTarget {
  let lowest: TargetDeclaration | null = null;
  for (const declaration of declared) if (lowest === null || declaration.edition < lowest.edition) lowest = declaration;
  return { edition: lowest?.edition ?? null, source: lowest?.source ?? null, declared };
}

/** The target as a crawl report shows it: names instead of numbers, and what it changed in the rule set. */
export interface TargetSummary extends TargetEffects {
  /** `ES2018`, or null: unknown (nothing declared, no restriction). */
  readonly edition: string | null;
  readonly source: string | null;
  readonly declared: readonly { readonly edition: string; readonly source: string }[];
}

export function summarizeTarget(target: ProjectTarget, effects: TargetEffects): TargetSummary {
  return {
    edition: target.edition === null ? null : editionName(target.edition),
    source: target.source,
    declared: target.declared.map((declaration) => ({ edition: editionName(declaration.edition), source: declaration.source })),
    ...effects,
  };
}

/** `ES2018 (from .eslintrc.json parserOptions.ecmaVersion)`, or `unknown (nothing declared)`. */
export function describeTarget(target: ProjectTarget): string {
  return target.edition === null ? 'unknown (nothing declared: no restriction)' : `${editionName(target.edition)} (from ${target.source ?? 'unknown'})`;
}

async function readPackageJson(root: string): Promise<Record<string, unknown> | null> {
  const text = await readConfigText(root, 'package.json');
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch (error) {
    ignoreError('a package.json that is not JSON declares nothing')(error);
    return null;
  }
}

/** The flat config when there is one (ESLint 9 uses it first), else the first legacy config, else package.json. */
async function eslintTarget(root: string, packageJson: Record<string, unknown> | null): Promise<TargetDeclaration | null> {
  for (const name of FLAT_CONFIGS) {
    const text = await readConfigText(root, name);
    if (text !== null) return scriptConfigTarget(text, name);
  }
  for (const name of LEGACY_CONFIGS) {
    const text = await readConfigText(root, name);
    if (text === null) continue;
    if (name.endsWith('.js') || name.endsWith('.cjs')) return scriptConfigTarget(text, name);
    return legacyConfigTarget(await parseConfigData(text, name), name);
  }
  return packageJson ? legacyConfigTarget(packageJson['eslintConfig'], 'package.json eslintConfig') : null;
}

/** JSON with comments through TypeScript's reader (as ESLint strips comments); YAML otherwise. */
async function parseConfigData(text: string, name: string): Promise<unknown> {
  if (name.endsWith('.json')) {
    const ts = (await import('typescript')).default;
    return ts.parseConfigFileTextToJson(name, text).config as unknown;
  }
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    ignoreError('a config that does not parse declares nothing')(error);
    return null;
  }
}

/**
 * browserslist queries (package.json `browserslist`, else `.browserslistrc`; the `production` section
 * when there is one) resolved with the browserslist package, then mapped to the newest edition the
 * oldest listed browser supports. Queries that read files are dropped (READS_FILES).
 */
async function browserslistTarget(root: string, packageJson: Record<string, unknown> | null): Promise<TargetDeclaration | null> {
  const field = packageJson?.['browserslist'];
  let queries: readonly string[] | null;
  let source = 'package.json browserslist';
  if (typeof field === 'string' || Array.isArray(field)) queries = [field].flat().filter((q): q is string => typeof q === 'string');
  else if (isRecord(field)) queries = sectionOf(Object.fromEntries(Object.entries(field).map(([key, value]) => [key, [value].flat().filter((q): q is string => typeof q === 'string')])));
  else {
    const text = await readConfigText(root, '.browserslistrc');
    if (text === null) return null;
    source = '.browserslistrc';
    try {
      queries = sectionOf(browserslist.parseConfig(text));
    } catch (error) {
      ignoreError('a .browserslistrc browserslist cannot parse declares nothing')(error);
      return null;
    }
  }
  const safe = (queries ?? []).filter((query) => !READS_FILES.test(query));
  if (safe.length === 0) return null;
  try {
    // path: false, or browserslist looks for a usage-statistics file from the working folder upwards.
    const found = editionOfBrowsers(browserslist(safe, { path: false }));
    return found ? { edition: found.edition, source: `${source} (oldest: ${found.oldest})` } : null;
  } catch (error) {
    ignoreError('a query browserslist does not know (or one needing usage statistics) declares nothing')(error);
    return null;
  }
}

/**
 * Queries that make browserslist read files: `extends` loads (runs) a package, `browserslist config`
 * reads a config that may extend one, `my stats` reads a usage file from the folders above. Dropped.
 */
const READS_FILES = /\bextends\b|browserslist\s+config|\bmy\s+stats\b/i;

function sectionOf(config: Readonly<Record<string, readonly string[] | undefined>>): readonly string[] | null {
  return config['production'] ?? config['defaults'] ?? null;
}

/** package.json `engines.node`: the lowest version the range admits. */
export function enginesTarget(packageJson: Record<string, unknown> | null): TargetDeclaration | null {
  const engines = packageJson?.['engines'];
  const range = isRecord(engines) ? engines['node'] : undefined;
  if (typeof range !== 'string') return null;
  const minimum = minimumVersion(range);
  return minimum ? { edition: editionOfNode(minimum), source: `package.json engines.node "${range}" (Node ${minimum.join('.')})` } : null;
}

/** `.roach.yml` `target` as written: `auto`, or an edition name (`es2019`, `esnext`). */
export function configuredTargetOf(value: string): ConfiguredTarget | null {
  return value === 'auto' ? 'auto' : editionOf(value);
}
