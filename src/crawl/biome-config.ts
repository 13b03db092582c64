/**
 * The rules a project's Biome configuration (`biome.json`, `biome.jsonc`) turns off, as the ESLint names of
 * the same checks, so they go through the same equivalence table as an ESLint configuration. Read as data:
 * JSON with comments is parsed by the TypeScript compiler's configuration reader (already a dependency).
 * Only `linter.rules.<group>.<rule>` set to "off" (or `{ "level": "off" }`) counts; per-path `overrides`
 * are left out, as an ESLint configuration's per-file blocks are.
 */

/**
 * Biome rules that check what an ESLint rule checks, as Biome documents each rule's source. Only the
 * checks a built-in rule of ours also makes are listed: the others would turn nothing off.
 */
const BIOME_TO_ESLINT: Readonly<Record<string, readonly string[]>> = {
  noExplicitAny: ['@typescript-eslint/no-explicit-any'],
  noEmptyInterface: ['@typescript-eslint/no-empty-interface'],
  noBannedTypes: ['@typescript-eslint/no-unsafe-function-type', '@typescript-eslint/no-wrapper-object-types'],
  noNonNullAssertion: ['@typescript-eslint/no-non-null-assertion'],
  noVar: ['no-var'],
  noDoubleEquals: ['eqeqeq'],
  noDebugger: ['no-debugger'],
  noSparseArray: ['no-sparse-arrays'],
  noPrototypeBuiltins: ['no-prototype-builtins'],
  noGlobalEval: ['no-eval'],
  noAsyncPromiseExecutor: ['no-async-promise-executor'],
  noSelfCompare: ['no-self-compare'],
  noSelfAssign: ['no-self-assign'],
  noDuplicateCase: ['no-duplicate-case'],
  noDuplicateObjectKeys: ['no-dupe-keys'],
  noDuplicateClassMembers: ['no-dupe-class-members'],
  noFallthroughSwitchClause: ['no-fallthrough'],
  noUnsafeFinally: ['no-unsafe-finally'],
  noUnsafeNegation: ['no-unsafe-negation'],
  noUnsafeOptionalChaining: ['no-unsafe-optional-chaining'],
  noCompareNegZero: ['no-compare-neg-zero'],
  useIsNan: ['use-isnan'],
  noUselessCatch: ['no-useless-catch'],
  noUnreachable: ['no-unreachable'],
  noEmptyBlockStatements: ['no-empty'],
  useGetterReturn: ['getter-return'],
  noSetterReturn: ['no-setter-return'],
  useExponentiationOperator: ['prefer-exponentiation-operator'],
  noEmptyCharacterClassInRegex: ['no-empty-character-class'],
};

export const BIOME_CONFIG_FILES = ['biome.json', 'biome.jsonc'] as const;

function isOff(value: unknown): boolean {
  if (value === 'off') return true;
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).level === 'off';
}

/** The ESLint names of the checks a parsed Biome configuration turns off for every file. */
export function eslintRulesOffInBiome(config: unknown): string[] {
  if (typeof config !== 'object' || config === null) return [];
  const linter = (config as Record<string, unknown>).linter;
  if (typeof linter !== 'object' || linter === null) return [];
  const rules = (linter as Record<string, unknown>).rules;
  if (typeof rules !== 'object' || rules === null) return [];
  const off = new Set<string>();
  for (const group of Object.values(rules as Record<string, unknown>)) {
    if (typeof group !== 'object' || group === null) continue;
    for (const [name, value] of Object.entries(group as Record<string, unknown>)) {
      if (isOff(value)) for (const eslintName of BIOME_TO_ESLINT[name] ?? []) off.add(eslintName);
    }
  }
  return [...off].sort();
}

/** A Biome configuration's text (JSON with comments and trailing commas); null when it does not parse. */
export async function eslintRulesOffInBiomeText(file: string, text: string): Promise<string[] | null> {
  const ts = (await import('typescript')).default;
  const parsed = ts.parseConfigFileTextToJson(file, text);
  if (parsed.error || parsed.config === undefined) return null;
  return eslintRulesOffInBiome(parsed.config);
}
