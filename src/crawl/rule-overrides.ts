import ignore from 'ignore';
import type { Finding } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';

export interface RuleOverride {
  /** Gitignore-style patterns of the files it applies to. */
  readonly files: readonly string[];
  readonly disabled: readonly string[];
  readonly severity: Readonly<Record<string, Severity>>;
}

/**
 * Applies `.roach.yml`'s per-path rule overrides to findings: a rule disabled for a file drops its
 * findings there, a severity override changes theirs. Later overrides win over earlier ones.
 */
export function overrideFindings(findings: readonly Finding[], overrides: readonly RuleOverride[]): Finding[] {
  if (overrides.length === 0) return [...findings];
  const matchers = overrides.map((override) => ({ override, matches: ignore().add([...override.files]) }));
  const out: Finding[] = [];
  for (const finding of findings) {
    let severity = finding.severity;
    let disabled = false;
    for (const { override, matches } of matchers) {
      if (!matches.ignores(finding.file)) continue;
      if (override.disabled.includes(finding.ruleId)) disabled = true;
      const changed = override.severity[finding.ruleId];
      if (changed) severity = changed;
    }
    if (!disabled) out.push(severity === finding.severity ? finding : { ...finding, severity });
  }
  return out;
}
