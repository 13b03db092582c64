import type { Finding } from '../domain/finding.js';
import { canonicalRule } from '../domain/rule-names.js';
import type { Category, Severity } from '../domain/severity.js';

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
