/**
 * Other tools' names of our Python, Go and Java rules, as data, for their inline suppressions
 * (`# noqa: S307`, `# nosec B602`, `//nolint:gosec`, `@SuppressWarnings("EmptyCatchBlock")`). A name
 * that is not here suppresses nothing; JavaScript names go through domain/rule-names.ts.
 */
import type { Category } from '../domain/severity.js';

/**
 * Bandit test ids (numbers of B101..B703): bandit writes them `B602`, Ruff's flake8-bandit port `S602`.
 * Only where our rule checks the same thing.
 */
const BANDIT: Readonly<Record<string, readonly string[]>> = {
  '103': ['py/no-world-writable-chmod'],
  '104': ['py/no-bind-all-interfaces'],
  '105': ['py/no-hardcoded-credentials'],
  '106': ['py/no-hardcoded-credentials'],
  '107': ['py/no-hardcoded-credentials'],
  '113': ['py/no-requests-without-timeout'],
  '201': ['py/no-flask-debug'],
  '202': ['py/no-tar-extractall'],
  '301': ['py/no-unsafe-deserialization'],
  '303': ['py/no-weak-hash'],
  '304': ['py/no-weak-cipher'],
  '305': ['py/no-weak-cipher'],
  '306': ['py/no-tempfile-mktemp'],
  '307': ['py/no-eval'],
  '308': ['py/no-mark-safe'],
  '311': ['py/no-insecure-random'],
  '313': ['py/no-xml-external-entities'],
  '314': ['py/no-xml-external-entities'],
  '320': ['py/no-xml-external-entities'],
  '323': ['py/no-unverified-ssl-context'],
  '324': ['py/no-weak-hash'],
  '501': ['py/no-tls-verify-disabled'],
  '502': ['py/no-insecure-tls-version'],
  '503': ['py/no-insecure-tls-version'],
  '504': ['py/no-insecure-tls-version'],
  '506': ['py/no-yaml-unsafe-load'],
  '507': ['py/no-ssh-auto-add-policy'],
  '602': ['py/no-subprocess-shell'],
  '605': ['py/no-os-system'],
  '608': ['py/no-sql-injection'],
  '701': ['py/no-jinja2-autoescape-off'],
};

/** flake8 / pycodestyle / pyflakes / bugbear / Ruff codes of our Python rules (bandit's are above). */
const PYTHON_CODES: Readonly<Record<string, readonly string[]>> = {
  E711: ['py/no-compare-none', 'py/no-compare-none-negated'],
  E713: ['py/no-not-in'],
  E722: ['py/no-bare-except'],
  F403: ['py/no-wildcard-import'],
  F541: ['py/no-fstring-without-placeholders'],
  F601: ['py/no-duplicate-dict-key'],
  F631: ['py/no-assert-tuple'],
  F632: ['py/no-is-literal'],
  B006: ['py/no-mutable-default-arg'],
  B012: ['py/no-return-in-finally'],
  B019: ['py/no-lru-cache-method'],
  DTZ003: ['py/no-datetime-utcnow'],
  PLE0101: ['py/no-return-in-init'],
};

/**
 * Pylint's message names and ids of the checks ours repeat (`# pylint: disable=bare-except` or `W0702`).
 * broad-except is not here: it is about `except Exception`, which no rule of ours reports.
 */
const PYLINT: Readonly<Record<string, readonly string[]>> = {
  'bare-except': ['py/no-bare-except'],
  W0702: ['py/no-bare-except'],
  'eval-used': ['py/no-eval'],
  W0123: ['py/no-eval'],
  'dangerous-default-value': ['py/no-mutable-default-arg'],
  W0102: ['py/no-mutable-default-arg'],
  'lost-exception': ['py/no-return-in-finally'],
  W0150: ['py/no-return-in-finally'],
  'return-in-finally': ['py/no-return-in-finally'],
  W0134: ['py/no-return-in-finally'],
  'singleton-comparison': ['py/no-compare-none', 'py/no-compare-none-negated'],
  C0121: ['py/no-compare-none', 'py/no-compare-none-negated'],
  'unneeded-not': ['py/no-not-in'],
  C0113: ['py/no-not-in'],
  'f-string-without-interpolation': ['py/no-fstring-without-placeholders'],
  W1309: ['py/no-fstring-without-placeholders'],
  'duplicate-key': ['py/no-duplicate-dict-key'],
  W0109: ['py/no-duplicate-dict-key'],
  'assert-on-tuple': ['py/no-assert-tuple'],
  W0199: ['py/no-assert-tuple'],
  'literal-comparison': ['py/no-is-literal'],
  R0123: ['py/no-is-literal'],
  'wildcard-import': ['py/no-wildcard-import'],
  W0401: ['py/no-wildcard-import'],
  'method-cache-max-size-none': ['py/no-lru-cache-method'],
  W1518: ['py/no-lru-cache-method'],
  'return-in-init': ['py/no-return-in-init'],
  E0101: ['py/no-return-in-init'],
  'self-assigning-variable': ['py/no-self-assign'],
  W0127: ['py/no-self-assign'],
  'consider-using-with': ['py/no-open-without-close'],
  R1732: ['py/no-open-without-close'],
  'missing-timeout': ['py/no-requests-without-timeout'],
  W3101: ['py/no-requests-without-timeout'],
  'pointless-exception-statement': ['py/no-exception-not-raised'],
  W0133: ['py/no-exception-not-raised'],
  'unreachable': ['py/no-unreachable'],
  W0101: ['py/no-unreachable'],
  'notimplemented-raised': ['py/no-raise-not-implemented'],
  E0711: ['py/no-raise-not-implemented'],
};

/** Our rules a pylint message name or id names; `all` stands for every rule. */
export function pythonRulesForPylint(name: string): readonly string[] | 'all' {
  if (name.toLowerCase() === 'all') return 'all';
  return PYLINT[name] ?? PYLINT[name.toLowerCase()] ?? PYLINT[name.toUpperCase()] ?? [];
}

/** Our rules a `# noqa` code names (Ruff writes bandit's tests as S + number). */
export function pythonRulesForCode(code: string): readonly string[] {
  const upper = code.toUpperCase();
  const bandit = /^S(\d{3})$/.exec(upper);
  if (bandit?.[1]) return BANDIT[bandit[1]] ?? [];
  return PYTHON_CODES[upper] ?? [];
}

/** Our rules a `# nosec` test id names (`B602`). */
export function pythonRulesForBanditTest(id: string): readonly string[] {
  const match = /^B(\d{3})$/i.exec(id);
  return match?.[1] ? (BANDIT[match[1]] ?? []) : [];
}

/** golangci-lint linters: a linter stands for a category of our Go rules, or for some rules by id. */
const GO_LINTERS: Readonly<Record<string, { readonly categories?: readonly Category[]; readonly ids?: readonly string[] }>> = {
  gosec: { categories: ['security'] },
  govet: { ids: ['go/no-copy-sync-type'] },
  // SA9001 (defer in a range loop), SA4011 (break in a select inside a loop).
  staticcheck: { ids: ['go/no-defer-in-loop', 'go/no-break-in-select-loop'] },
  // revive's `errorf`: errors.New(fmt.Sprintf(...)).
  revive: { ids: ['go/prefer-fmt-errorf'] },
};

export function goLinter(name: string): { readonly categories: readonly Category[]; readonly ids: readonly string[] } {
  const linter = GO_LINTERS[name.toLowerCase()];
  return { categories: linter?.categories ?? [], ids: linter?.ids ?? [] };
}

/** `@SuppressWarnings` names of javac, IntelliJ, Error Prone and PMD checks that ours repeat. */
const JAVA_WARNINGS: Readonly<Record<string, readonly string[]>> = {
  EmptyCatchBlock: ['java/no-empty-catch'],
  'PMD.EmptyCatchBlock': ['java/no-empty-catch'],
  CallToPrintStackTrace: ['java/no-print-stack-trace'],
  'PMD.AvoidPrintStackTrace': ['java/no-print-stack-trace'],
  EqualsHashCode: ['java/no-equals-without-hashcode'],
  'PMD.OverrideBothEqualsAndHashcode': ['java/no-equals-without-hashcode'],
  StringEquality: ['java/no-string-reference-compare', 'java/no-string-reference-compare-negated'],
  ReferenceEquality: ['java/no-string-reference-compare', 'java/no-string-reference-compare-negated'],
  SelfAssignment: ['java/no-self-assign'],
  BoxedPrimitiveConstructor: ['java/no-boxing-constructor'],
  BigDecimalLiteralDouble: ['java/no-bigdecimal-double'],
  'PMD.AvoidDecimalLiteralsInBigDecimalConstructor': ['java/no-bigdecimal-double'],
};

export function javaRulesForWarning(name: string): readonly string[] {
  return JAVA_WARNINGS[name] ?? [];
}

/** gosec rule ids (`// #nosec G204`) of the checks ours repeat. */
const GOSEC: Readonly<Record<string, readonly string[]>> = {
  G107: ['go/no-ssrf'],
  G201: ['go/no-sql-injection'],
  G202: ['go/no-sql-injection'],
  G203: ['go/no-unescaped-template'],
  G204: ['go/no-shell-exec'],
  G304: ['go/no-path-from-request'],
  G401: ['go/no-weak-hash'],
  G402: ['go/no-tls-verification-disabled', 'go/no-weak-tls-version'],
  G404: ['go/no-insecure-random'],
  G405: ['go/no-weak-cipher'],
  G501: ['go/no-weak-hash'],
  G502: ['go/no-weak-cipher'],
  G503: ['go/no-weak-cipher'],
  G505: ['go/no-weak-hash'],
};

export function goRulesForGosecTest(id: string): readonly string[] {
  return GOSEC[id.toUpperCase()] ?? [];
}
