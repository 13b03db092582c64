import type { Finding } from '../domain/finding.js';
import type { Category, Severity } from '../domain/severity.js';

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

const BUILT_IN_TO_ESLINT: ReadonlyMap<string, string> = new Map([...SAME_AS_ESLINT_CORE.map((name) => [`js/${name}`, name] as const), ...Object.entries(RENAMED)]);

/** oxlint names its plugins in its codes: `eslint(no-eval)`, `typescript(no-explicit-any)`, `unicorn(...)`. */
const OXLINT_PLUGIN_PREFIX: Readonly<Record<string, string>> = { eslint: '', typescript: '@typescript-eslint/' };

/**
 * The name a rule has across engines, spelled as ESLint does (`no-eval`, `@typescript-eslint/no-for-in-array`),
 * or null when no other engine is known to check the same thing. Ids are parsed, not source code.
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

/** Category, severity and CWE for linter rules that are security checks (linters themselves only say "problem"). */
const SECURITY_RULES: Readonly<Record<string, { readonly severity: Severity; readonly category: Category; readonly cwe: number }>> = {
  'no-eval': { severity: 'critical', category: 'security', cwe: 95 },
  'no-implied-eval': { severity: 'high', category: 'security', cwe: 95 },
  'no-new-func': { severity: 'critical', category: 'security', cwe: 95 },
  'no-script-url': { severity: 'high', category: 'security', cwe: 79 },
};

export function knownRuleTraits(ruleId: string): { readonly severity: Severity; readonly category: Category; readonly cwe: number } | null {
  const canonical = canonicalRule(ruleId);
  return canonical ? (SECURITY_RULES[canonical] ?? null) : null;
}

/**
 * CWEs tools use for one defect at different depths of MITRE's hierarchy, mapped to the parent: CodeQL tags an
 * eval as CWE-94 (code injection) first, Semgrep and our rules as CWE-95 (eval injection, a child of 94).
 */
const CWE_PARENT: Readonly<Record<number, number>> = {
  95: 94, // eval injection -> code injection
  96: 94, // static code injection
  78: 77, // OS command injection -> command injection
  88: 77, // argument injection
  564: 89, // Hibernate SQL injection -> SQL injection
  80: 79, // basic XSS -> XSS
  83: 79,
  23: 22, // relative path traversal -> path traversal
  36: 22,
};

function cweFamily(cwe: number): number {
  return CWE_PARENT[cwe] ?? cwe;
}

/** Two findings of different engines name the same defect: the same rule under another name, or the same CWE family. */
export function sameDefect(a: Finding, b: Finding): boolean {
  if (a.file !== b.file) return false;
  if (a.range.startLine > b.range.endLine || b.range.startLine > a.range.endLine) return false;
  const ruleA = canonicalRule(a.ruleId);
  if (ruleA !== null && ruleA === canonicalRule(b.ruleId)) return true;
  return a.cwe !== null && b.cwe !== null && cweFamily(a.cwe) === cweFamily(b.cwe);
}
