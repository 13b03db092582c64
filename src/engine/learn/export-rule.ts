import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Language } from '../../domain/finding.js';
import type { RuleFile, RuleTestFile } from '../rule-schema.js';
import { instantiateTemplate } from '../template.js';

/** What exporting needs of a learned template. */
export interface ExportableTemplate {
  readonly ruleId: string;
  readonly patternFingerprint: string;
  readonly language: Language;
  readonly pattern: string;
  readonly rewrite: string;
  readonly metavariables: readonly string[];
  readonly exampleCount: number;
}

export interface ExportedRule {
  /** File name without extension; the rule id is `learned/<name>`. */
  readonly name: string;
  readonly rule: RuleFile;
  readonly tests: RuleTestFile;
}

/** Rule ids allow lower-case words joined by single dashes. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'rule';
}

/**
 * An ordinary rule file for a learned template: the source rule's severity, category and message, the
 * learned pattern as its ast-grep rule and the rewrite as an unsafe fix, so a reviewer can read it and
 * `roach rules test` can check it. Its test cases are the template instantiated with placeholder
 * names (the templates keep no source to quote): the instance must be found at line 1, column 1 (it is
 * the whole case) and fixed to exactly the rewrite, and the fixed code must not be found again.
 */
export function learnedRuleFile(template: ExportableTemplate, source: Pick<RuleFile, 'severity' | 'category' | 'cwe' | 'message'>): ExportedRule {
  // Competing templates of one pattern each get a file: the name hashes the template, not only the pattern.
  const digest = createHash('sha256').update(`${template.patternFingerprint}\0${template.pattern}\0${template.rewrite}`).digest('hex').slice(0, 8);
  const name = `${slug(template.ruleId.split('/').pop() ?? template.ruleId)}-${digest}`;
  const bindings = Object.fromEntries(template.metavariables.map((variable, i) => [variable, `value${i + 1}`]));
  const code = instantiateTemplate(template.pattern, bindings);
  const output = instantiateTemplate(template.rewrite, bindings);
  const rule: RuleFile = {
    id: `learned/${name}`,
    languages: [template.language],
    severity: source.severity,
    category: source.category,
    ...(source.cwe ? { cwe: source.cwe } : {}),
    message: source.message,
    doc: {
      rationale: `Learned by Code Roach from ${template.exampleCount} human fixes of ${template.ruleId}: code matching the pattern was rewritten the same way each time.`,
      bad: code,
      good: output,
    },
    rule: { pattern: template.pattern },
    fix: { template: template.rewrite, safety: 'unsafe' },
  };
  return { name, rule, tests: { valid: [{ code: output }], invalid: [{ code, output, errors: [{ line: 1, column: 1 }] }] } };
}

export function ruleYaml(exported: ExportedRule): { rule: string; tests: string } {
  return { rule: stringify(exported.rule, { lineWidth: 0 }), tests: stringify(exported.tests, { lineWidth: 0 }) };
}
