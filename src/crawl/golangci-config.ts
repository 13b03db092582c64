import { parse as parseYaml } from 'yaml';
import { goRulesForGosecTest } from '../engine/suppression-names.js';

/** golangci-lint's configuration files in its own lookup order (TOML ones are not read). */
export const GOLANGCI_CONFIG_FILES = ['.golangci.yml', '.golangci.yaml', '.golangci.json'] as const;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The gosec checks a golangci-lint configuration excludes for the whole project (`excludes: [G401]` under
 * gosec's settings: `linters-settings` in version 1, `linters.settings` in version 2), as `gosec:G401`
 * names beside the built-in rules each one turns off; null when the text does not parse. Read as data.
 */
export function gosecExcludesInText(text: string): { rule: string; eslintRule: string }[] | null {
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch {
    return null;
  }
  const root = record(config);
  if (!root) return null;
  const settings = record(root['linters-settings']) ?? record(record(root.linters)?.settings);
  const excludes = record(settings?.gosec)?.excludes;
  if (!Array.isArray(excludes)) return [];
  return excludes.filter((id): id is string => typeof id === 'string').flatMap((id) => goRulesForGosecTest(id).map((rule) => ({ rule, eslintRule: `gosec:${id.toUpperCase()}` })));
}
