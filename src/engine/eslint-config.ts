/**
 * The rules a project's ESLint configuration turns off, read as data: JSON and YAML configurations are
 * parsed, JavaScript ones (flat `eslint.config.*`, legacy `.eslintrc.js`) are read statically from their
 * object literals with ast-grep; nothing is executed, and anything computed (spreads, computed keys,
 * variables, imported shareable configs) is ignored. Only configuration for every file counts: flat
 * config objects with `files` (unless they only name every file of some extensions, `**\/*.js`), and
 * legacy `overrides`, are per-file and left out.
 */
import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import { parse as parseYaml } from 'yaml';
import { astGrepLang } from './languages.js';

/** The ESLint setting of one rule: `off` or anything else (on). */
type Setting = 'off' | 'on';

function settingOfValue(value: unknown): Setting | null {
  const level = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (level === 0 || level === 'off' || level === '0') return 'off';
  if (level === 1 || level === 2 || level === 'warn' || level === 'error') return 'on';
  return null;
}

function offRules(settings: ReadonlyMap<string, Setting>): string[] {
  return [...settings].filter(([, setting]) => setting === 'off').map(([name]) => name).sort();
}

/** The rules a configuration object (legacy `.eslintrc` data, package.json `eslintConfig`) turns off at its top level. */
export function rulesOffInData(config: unknown): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [];
  const rules = (config as Record<string, unknown>).rules;
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return [];
  const settings = new Map<string, Setting>();
  for (const [name, value] of Object.entries(rules)) {
    const setting = settingOfValue(value);
    if (setting) settings.set(name, setting);
  }
  return offRules(settings);
}

/** A JSON or YAML configuration text (`.eslintrc`, `.eslintrc.json`, `.eslintrc.yml`); null when it does not parse. */
export function rulesOffInJsonOrYaml(text: string): string[] | null {
  if (text.trimStart().startsWith('{')) {
    try {
      return rulesOffInData(JSON.parse(text));
    } catch {
      // ESLint reads JSON configurations with comments and trailing commas: read it as an object literal.
      return rulesOffInJavaScript(`(${text})`, 'javascript');
    }
  }
  try {
    return rulesOffInData(parseYaml(text));
  } catch {
    return null;
  }
}

/** The literal a key or value node holds: a string's text, a number; null for anything computed. */
function literalOf(node: SgNode | null): string | number | null {
  if (!node) return null;
  const kind = node.kind();
  if (kind === 'property_identifier' || kind === 'identifier') return kind === 'identifier' ? null : node.text();
  if (kind === 'string') return node.find({ rule: { kind: 'string_fragment' } })?.text() ?? '';
  if (kind === 'number') return Number(node.text());
  return null;
}

function settingOfNode(node: SgNode | null): Setting | null {
  if (!node) return null;
  if (node.kind() === 'array') return settingOfValue(literalOf(node.children().find((child) => child.isNamed() && !String(child.kind()).includes('comment')) ?? null));
  return settingOfValue(literalOf(node));
}

/** `**\/*.js`, `**\/*.{cjs,js,mjs}`: every file of some extensions, the usual `files` of a flat config's main object. */
const EVERY_FILE_GLOB = /^\*\*\/\*\.(\w+|\{[\w,]+\})$/;

/** Whether a `files` value lists only every-file globs (literal strings): such an object still applies project-wide. */
function everyFile(files: SgNode | null): boolean {
  if (files?.kind() !== 'array') return false;
  const entries = files.children().filter((child) => child.isNamed() && !String(child.kind()).includes('comment'));
  return entries.length > 0 && entries.every((entry) => entry.kind() === 'string' && EVERY_FILE_GLOB.test(String(literalOf(entry))));
}

/**
 * Whether a `rules` object applies to some files only: its config object has `files` naming some of them
 * (not just every file of some extensions), or it sits in legacy `overrides`.
 */
function perFile(rulesPair: SgNode): boolean {
  const owner = rulesPair.parent();
  const files = owner?.children().find((pair) => pair.kind() === 'pair' && literalOf(pair.field('key')) === 'files');
  if (files && !everyFile(files.field('value'))) return true;
  return rulesPair.ancestors().some((node) => node.kind() === 'pair' && literalOf(node.field('key')) === 'overrides');
}

/**
 * A JavaScript or TypeScript configuration, read statically: every `rules: { ... }` object literal that
 * applies to all files, in source order (a later setting of a rule wins, as later config objects do).
 */
export function rulesOffInJavaScript(text: string, language: 'javascript' | 'typescript'): string[] {
  const root = parse(astGrepLang(language), text).root();
  const settings = new Map<string, Setting>();
  const rulesPairs = root.findAll({ rule: { kind: 'pair', has: { field: 'key', regex: '^["\']?rules["\']?$' } } });
  for (const pair of rulesPairs) {
    const value = pair.field('value');
    if (value?.kind() !== 'object' || perFile(pair)) continue;
    for (const entry of value.children()) {
      if (entry.kind() !== 'pair') continue;
      const name = literalOf(entry.field('key'));
      const setting = settingOfNode(entry.field('value'));
      if (typeof name === 'string' && setting) settings.set(name, setting);
    }
  }
  return offRules(settings);
}
