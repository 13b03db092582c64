import type { RuleSet } from './rules.js';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Markdown fence info strings per rule language. */
const FENCE_LANGUAGE: Readonly<Record<string, string>> = Object.freeze({ javascript: 'js', typescript: 'ts', tsx: 'tsx', python: 'python', go: 'go', java: 'java' });

function codeBlock(code: string, language: string): string {
  const fence = code.includes('```') ? '~~~~' : '```';
  return `${fence}${FENCE_LANGUAGE[language] ?? ''}\n${code.trimEnd()}\n${fence}`;
}

/**
 * The rule reference, generated from the rule files (one source of truth): an index table, then one
 * section per rule with its rationale and a bad and good example. `docs/rules.md` is this text; a
 * test fails when the two drift apart.
 */
export function renderRuleDocs(rules: RuleSet): string {
  const sorted = [...rules.rules].sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  const lines: string[] = [
    '# Code Roach rules',
    '',
    'Generated from `src/rules/` by `roach rules docs --write docs/rules.md`; do not edit by hand.',
    '',
    `${sorted.length} rules. Fix safety: **safe** fixes never change the behaviour of correct code and may be applied automatically; **unsafe** ones wait for review.`,
    '',
    '| rule | severity | category | CWE | languages | fix |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const { definition: rule } of sorted) {
    const anchor = rule.id.replace(/[^a-z0-9]+/g, '-');
    const cwe = rule.cwe ? `[CWE-${rule.cwe}](https://cwe.mitre.org/data/definitions/${rule.cwe}.html)` : '';
    lines.push(`| [${rule.id}](#${anchor}) | ${rule.severity} | ${rule.category} | ${cwe} | ${rule.languages.join(', ')} | ${rule.fix?.safety ?? ''} |`);
  }
  for (const { definition: rule } of sorted) {
    lines.push('', `## ${rule.id}`, '', cell(rule.message), '', rule.doc.rationale.trim(), '', 'Bad:', '', codeBlock(rule.doc.bad, rule.languages[0] ?? ''), '', 'Good:', '', codeBlock(rule.doc.good, rule.languages[0] ?? ''));
  }
  return `${lines.join('\n')}\n`;
}
