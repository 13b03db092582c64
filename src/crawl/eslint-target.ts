import { parse as parseSource } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import { editionOf } from '../domain/es-edition.js';
import type { EsEdition } from '../domain/es-edition.js';
import { astGrepLang, languageOf } from '../engine/languages.js';

/** An edition a project file declares, and where: `.eslintrc.json parserOptions.ecmaVersion`. */
export interface TargetDeclaration {
  readonly edition: EsEdition;
  readonly source: string;
}

/** ESLint flat configs, in the order ESLint looks for them; the first present is the project's. */
export const FLAT_CONFIGS = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'] as const;
/** Legacy configs, in ESLint's order of precedence (package.json `eslintConfig` comes after them). */
export const LEGACY_CONFIGS = ['.eslintrc.js', '.eslintrc.cjs', '.eslintrc.yaml', '.eslintrc.yml', '.eslintrc.json', '.eslintrc'] as const;

const ENV_EDITION = /^es(6|20\d\d)$/;

/**
 * The edition a legacy config object states: `parserOptions.ecmaVersion` (the syntax ESLint accepts),
 * else the newest `env.esXXXX` switched on (the globals it knows). Only the top level: `overrides` are
 * for some files, and `extends` is another package's decision, not read.
 */
export function legacyConfigTarget(config: unknown, name: string): TargetDeclaration | null {
  if (!isRecord(config)) return null;
  const parserOptions = config['parserOptions'];
  const ecmaVersion = isRecord(parserOptions) ? editionOf(parserOptions['ecmaVersion']) : null;
  if (ecmaVersion !== null) return { edition: ecmaVersion, source: `${name} parserOptions.ecmaVersion` };
  const env = config['env'];
  if (!isRecord(env)) return null;
  let newest: { edition: EsEdition; key: string } | null = null;
  for (const [key, on] of Object.entries(env)) {
    const edition = ENV_EDITION.test(key) && on === true ? editionOf(key) : null;
    if (edition !== null && (newest === null || edition > newest.edition)) newest = { edition, key };
  }
  return newest ? { edition: newest.edition, source: `${name} env.${newest.key}` } : null;
}

/** Key of an object property as written: `ecmaVersion`, `'ecmaVersion'` or `"ecmaVersion"`. */
const keyRule = (name: string): { field: string; regex: string } => ({ field: 'key', regex: `^["']?${name}["']?$` });

/**
 * The edition a JavaScript config (a flat `eslint.config.*`, or a legacy `.eslintrc.js`) states, read as
 * data from its syntax tree, never run: the lowest literal `ecmaVersion` in it (a config may set one per
 * file group; the oldest code decides), else the newest `env: { esXXXX: true }`. Values computed at run
 * time (spreads, calls, shared configs) are not seen.
 */
export function scriptConfigTarget(text: string, name: string): TargetDeclaration | null {
  const language = languageOf(name) ?? 'javascript';
  const root = parseSource(astGrepLang(language), text).root();
  let lowest: EsEdition | null = null;
  for (const pair of root.findAll({ rule: { kind: 'pair', has: keyRule('ecmaVersion') } })) {
    const edition = literalEdition(pair.field('value'));
    if (edition !== null && (lowest === null || edition < lowest)) lowest = edition;
  }
  const key = name.startsWith('eslint.config') ? 'languageOptions.ecmaVersion' : 'parserOptions.ecmaVersion';
  if (lowest !== null) return { edition: lowest, source: `${name} ${key}` };
  let newest: { edition: EsEdition; key: string } | null = null;
  const envPairs = root.findAll({ rule: { kind: 'pair', has: keyRule('es(6|20\\d\\d)'), inside: { kind: 'object', inside: { kind: 'pair', has: keyRule('env') } } } });
  for (const pair of envPairs) {
    const envKey = pair.field('key')?.text().replace(/["']/g, '') ?? '';
    const edition = pair.field('value')?.text() === 'true' ? editionOf(envKey) : null;
    if (edition !== null && (newest === null || edition > newest.edition)) newest = { edition, key: envKey };
  }
  return newest ? { edition: newest.edition, source: `${name} env.${newest.key}` } : null;
}

function literalEdition(node: SgNode | null): EsEdition | null {
  if (!node) return null;
  const kind = String(node.kind());
  if (kind === 'number') return editionOf(Number(node.text()));
  if (kind === 'string') return editionOf(node.text().slice(1, -1));
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
