import { loadRuleFolders } from './rule-files.js';
import type { RuleFile } from './rule-schema.js';

/** Rules as their files define them, not compiled for matching: what the rule list and the reference show. */
export interface RuleDefinitions {
  readonly rules: readonly { readonly definition: RuleFile }[];
}

/**
 * The built-in pack's definitions as `loadRules()` gives them (same validation and errors, a later id
 * replacing an earlier one in its place), but the rule loader, with its YAML parser, schema and ast-grep,
 * is loaded only for files the build's rule pack cache does not hold as they are now.
 */
export async function loadRuleDefinitions(): Promise<RuleDefinitions> {
  const { loaded } = await loadRuleFolders([], async (file, dir, cached) => cached ?? (await (await import('./rules.js')).loadRuleFile(file, dir)).definition);
  const byId = new Map(loaded.map((definition) => [definition.id, { definition }]));
  return { rules: [...byId.values()] };
}
