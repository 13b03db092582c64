import { defaultInTests } from '../domain/code-role.js';
import type { RuleDefinitions } from './rule-definitions.js';
import type { RuleFile } from './rule-schema.js';
import { ALL_SECRET_RULES } from './secrets/detectors.js';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Markdown fence info strings per rule language. */
const FENCE_LANGUAGE: Readonly<Record<string, string>> = Object.freeze({ javascript: 'js', typescript: 'ts', tsx: 'tsx', python: 'python', go: 'go', java: 'java' });

function codeBlock(code: string, language: string): string {
  const fence = code.includes('```') ? '~~~~' : '```';
  return `${fence}${FENCE_LANGUAGE[language] ?? ''}\n${code.trimEnd()}\n${fence}`;
}

/** What the reference shows of a rule, whether it comes from a rule file or from the secrets catalogue. */
export interface DocumentedRule {
  readonly id: string;
  readonly severity: string;
  readonly category: string;
  readonly cwe: number | null;
  readonly message: string;
  readonly languages: readonly string[];
  readonly fix: string;
  /** Why the rule is off unless `.roach.yml` rules.enabled names it; null: on by default. */
  readonly optIn: string | null;
  /** The rule's policy in test, fixture, example and benchmark code (declared, or its category's default). */
  readonly inTests: string;
  readonly doc: { readonly rationale: string; readonly bad: string; readonly good: string };
  /** What the rule and its fix need of the project's ECMAScript target (see docs/target.md); '' when nothing. */
  readonly target?: string;
  /** The lower severity of a context where the code does less harm, and why; '' when none. */
  readonly lowered?: string;
}

/** One sentence on the editions a rule and its fix need, and what older targets get. */
function targetNote(rule: RuleFile): string {
  const name = (edition: string): string => edition.toUpperCase();
  const parts: string[] = [];
  if (rule.minTarget) parts.push(`Runs only for projects targeting ${name(rule.minTarget)} or newer.`);
  if (rule.fix?.minTarget) {
    const older = rule.fix.fallback ? `older targets get \`${rule.fix.fallback.template}\`` : 'older targets get no fix';
    parts.push(`The fix needs ${name(rule.fix.minTarget)}; ${older}.`);
  }
  return parts.length > 0 ? `${parts.join(' ')} (See [target.md](target.md).)` : '';
}

/** Secrets rules run on code and on every text file; their examples are shown without a fence language. */
export const SECRETS_LANGUAGES = ['all text files'] as const;

/** Every documented rule, the rule files' and the secrets catalogue's, sorted by id. */
export function documentedRules(rules: RuleDefinitions): DocumentedRule[] {
  const fromFiles = rules.rules.map(({ definition: r }): DocumentedRule => ({
    id: r.id,
    severity: r.severity,
    category: r.category,
    cwe: r.cwe ?? null,
    message: r.message,
    languages: r.languages,
    fix: r.fix?.safety ?? '',
    optIn: r.optIn?.reason ?? null,
    inTests: r.inTests ?? defaultInTests(r.category),
    doc: r.doc,
    target: targetNote(r),
    lowered: r.lowerSeverity ? `Reported at ${r.lowerSeverity.to} instead of ${r.severity} when ${r.lowerSeverity.reason.trim()}` : '',
  }));
  const secrets = ALL_SECRET_RULES.map((r): DocumentedRule => ({ id: r.id, severity: r.severity, category: 'security', cwe: 798, message: r.message, languages: SECRETS_LANGUAGES, fix: '', optIn: null, inTests: r.inTests, doc: r.doc }));
  return [...fromFiles, ...secrets].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The rule reference, generated from the rule files and the secrets catalogue (one source of truth): an
 * index table, then one section per rule with its rationale and a bad and good example. `docs/rules.md`
 * is this text; a test fails when the two drift apart.
 */
export function renderRuleDocs(rules: RuleDefinitions): string {
  const sorted = documentedRules(rules);
  const lines: string[] = [
    '# Code Roach rules',
    '',
    'Generated from `src/rules/` and the secrets catalogue (`src/engine/secrets/detectors.ts`, see [secrets.md](secrets.md)) by `roach rules docs --write docs/rules.md`; do not edit by hand.',
    '',
    `${sorted.length} rules. Fix safety: **safe** fixes never change the behaviour of correct code and may be applied automatically; **unsafe** ones wait for review.`,
    '',
    'In tests: what a finding becomes in test, fixture, example, benchmark and developer-script code (see [test-code.md](test-code.md)): **keep** (at most medium), **low** (severity lowered to low) or **off** (not reported); fixtures report only leaked secrets.',
    '',
    '| rule | severity | category | CWE | languages | fix | in tests |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const rule of sorted) {
    const anchor = rule.id.replace(/[^a-z0-9]+/g, '-');
    const cwe = rule.cwe ? `[CWE-${rule.cwe}](https://cwe.mitre.org/data/definitions/${rule.cwe}.html)` : '';
    lines.push(`| [${rule.id}](#${anchor}) | ${rule.severity} | ${rule.category} | ${cwe} | ${rule.languages.join(', ')} | ${rule.fix}${rule.optIn ? ' (off by default)' : ''} | ${rule.inTests} |`);
  }
  for (const rule of sorted) {
    const optIn = rule.optIn ? ['', `**Off by default** (switch it on with \`rules.enabled: [${rule.id}]\` in \`.roach.yml\`): ${rule.optIn.trim()}`] : [];
    lines.push('', `## ${rule.id}`, '', cell(rule.message), ...optIn, '', rule.doc.rationale.trim(), ...(rule.lowered ? ['', rule.lowered] : []), ...(rule.target ? ['', rule.target] : []), '', 'Bad:', '', codeBlock(rule.doc.bad, rule.languages[0] ?? ''), '', 'Good:', '', codeBlock(rule.doc.good, rule.languages[0] ?? ''));
  }
  return `${lines.join('\n')}\n`;
}
