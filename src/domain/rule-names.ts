/**
 * What our built-in rules are called by other tools, as data: the engine maps other tools' inline
 * suppressions and the project's ESLint configuration through it, the adapters merge other engines'
 * findings with ours through it. Ids are parsed here, never source code.
 */

/** Built-in rules that check exactly what the ESLint core rule of the same name checks. */
const SAME_AS_ESLINT_CORE = [
  'array-callback-return', 'eqeqeq', 'for-direction', 'getter-return', 'no-async-promise-executor', 'no-await-in-loop',
  'no-compare-neg-zero', 'no-cond-assign', 'no-debugger', 'no-dupe-class-members', 'no-dupe-else-if', 'no-dupe-keys',
  'no-duplicate-case', 'no-duplicate-imports', 'no-empty-character-class', 'no-eval', 'no-extra-boolean-cast', 'no-fallthrough',
  'no-implied-eval', 'no-new-native-nonconstructor', 'no-new-wrappers', 'no-promise-executor-return', 'no-prototype-builtins',
  'no-self-assign', 'no-self-compare', 'no-setter-return', 'no-sparse-arrays', 'no-template-curly-in-string', 'no-throw-literal',
  'no-unreachable', 'no-unsafe-finally', 'no-unsafe-negation', 'no-unsafe-optional-chaining', 'no-unused-private-class-members',
  'no-useless-catch', 'no-var', 'prefer-exponentiation-operator', 'radix', 'valid-typeof',
] as const;

/** Built-in rules whose counterpart has another name (ESLint core, typescript-eslint or unicorn, as ESLint spells them). */
const RENAMED: Readonly<Record<string, string>> = {
  'js/no-new-function': 'no-new-func',
  'js/no-compare-nan': 'use-isnan',
  'js/no-wrapper-object-types': '@typescript-eslint/no-wrapper-object-types',
  'js/no-empty-interface': '@typescript-eslint/no-empty-interface',
  'js/no-function-type': '@typescript-eslint/no-unsafe-function-type',
  'js/no-non-null-asserted-optional-chain': '@typescript-eslint/no-non-null-asserted-optional-chain',
  'js/no-duplicate-enum-values': '@typescript-eslint/no-duplicate-enum-values',
  'js/prefer-ts-expect-error': '@typescript-eslint/prefer-ts-expect-error',
  'js/no-for-in-array': '@typescript-eslint/no-for-in-array',
  'js/prefer-array-find': 'unicorn/prefer-array-find',
  'js/prefer-array-some': 'unicorn/prefer-array-some',
  'js/prefer-date-now': 'unicorn/prefer-date-now',
};

/**
 * Built-in rules that check a part of what a broader rule of another tool checks: a project that turns the
 * broader rule off (or disables it on a line) has accepted ours too. Not used for merging findings.
 */
const COVERED_BY: Readonly<Record<string, readonly string[]>> = {
  // ESLint's no-empty reports empty blocks, catch blocks included.
  'js/no-empty-catch': ['no-empty'],
  'js/no-compare-nan-negated': ['use-isnan'],
  'js/no-self-assign-member': ['no-self-assign'],
  'js/no-as-any': ['@typescript-eslint/no-explicit-any'],
  'js/no-non-literal-require': ['security/detect-non-literal-require'],
  // typescript-eslint 8 folded no-empty-interface into no-empty-object-type (`interface A {}` and `{}` types)
  'js/no-empty-interface': ['@typescript-eslint/no-empty-object-type'],
  // no-misused-promises (checksVoidReturn) reports an async callback where a void one is expected: forEach's
  'js/no-async-foreach': ['@typescript-eslint/no-misused-promises'],
};

const BUILT_IN_TO_ESLINT: ReadonlyMap<string, string> = new Map([...SAME_AS_ESLINT_CORE.map((name) => [`js/${name}`, name] as const), ...Object.entries(RENAMED)]);

const ESLINT_TO_BUILT_IN: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  const add = (eslintName: string, ruleId: string): void => void out.set(eslintName, [...(out.get(eslintName) ?? []), ruleId]);
  for (const [ruleId, eslintName] of BUILT_IN_TO_ESLINT) add(eslintName, ruleId);
  for (const [ruleId, names] of Object.entries(COVERED_BY)) for (const name of names) add(name, ruleId);
  return out;
})();

/** oxlint names its plugins in its codes: `eslint(no-eval)`, `typescript(no-explicit-any)`, `unicorn(...)`. */
const OXLINT_PLUGIN_PREFIX: Readonly<Record<string, string>> = { eslint: '', typescript: '@typescript-eslint/' };

/**
 * The name a rule has across engines, spelled as ESLint does (`no-eval`, `@typescript-eslint/no-for-in-array`),
 * or null when no other engine is known to check the same thing.
 */
export function canonicalRule(ruleId: string): string | null {
  const builtIn = BUILT_IN_TO_ESLINT.get(ruleId);
  if (builtIn) return builtIn;
  if (ruleId.startsWith('eslint/')) return ruleId.slice('eslint/'.length);
  if (ruleId.startsWith('oxlint/')) {
    const code = ruleId.slice('oxlint/'.length);
    const open = code.indexOf('(');
    if (open < 0 || !code.endsWith(')')) return code;
    const plugin = code.slice(0, open);
    const name = code.slice(open + 1, -1);
    return `${OXLINT_PLUGIN_PREFIX[plugin] ?? `${plugin}/`}${name}`;
  }
  return null;
}

/**
 * Our built-in rules an ESLint rule name (as written in an ESLint configuration or an `eslint-disable`
 * comment) stands for: the same rule, or a broader one covering ours. Empty for a name we do not know.
 */
export function builtInRulesForEslint(eslintName: string): readonly string[] {
  return ESLINT_TO_BUILT_IN.get(eslintName) ?? [];
}
