import { access, readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Finding, Language } from '../domain/finding.js';
import { applyRolePolicy, defaultInTests, roleOfPath } from '../domain/code-role.js';
import type { Severity } from '../domain/severity.js';
import { analyzeSource } from './analyze.js';
import { joinModules } from './module-join.js';
import type { ModuleFacts } from '../domain/module-facts.js';
import { applyEdits, planFixes } from './fixer.js';
import type { CompiledRule, RuleSet } from './rules.js';
import { ruleSetOf } from './rules.js';
import { ruleForTarget } from './target.js';
import { editionOf, ES_NEXT } from '../domain/es-edition.js';
import { describeZodError } from '../domain/describe-zod-error.js';
import { RuleTestFileSchema } from './rule-schema.js';
import type { ExpectedFinding, InvalidRuleCase, ValidRuleCase } from './rule-schema.js';
import { looksLikeTestCode } from './test-framework.js';

/**
 * Outcome of one rule test case, named as the learning store names real fix outcomes:
 * Validated (as expected), Noisy (reported where nothing was expected), Missing (an expected finding
 * was not reported), Wrong (the fix produced other output than expected, or the fixed code still triggers the rule) and Error (the case could not
 * run). A finding at another position than the expected one is both: the expected position is Missing
 * and the reported one Noisy, so such a case yields two results.
 */
export type CaseOutcome = 'Validated' | 'Noisy' | 'Missing' | 'Wrong' | 'Error';

/** Test cases come from the `.test.yml` file (`valid`, `invalid`) or from the rule's `doc` examples. */
export type CaseKind = 'valid' | 'invalid' | 'doc.bad' | 'doc.good';

export interface CaseResult {
  readonly ruleId: string;
  readonly kind: CaseKind;
  readonly index: number;
  readonly outcome: CaseOutcome;
  readonly detail: string;
}

/** A finding's position as cases state it: 1-based lines and columns, the end column just past the match. */
export interface FindingPosition {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** The severity after the rule's `inTests` policy (cases on a test path check it when they state one). */
  readonly severity?: Severity;
}

export function testFileOf(rule: CompiledRule): string {
  return rule.sourceFile.replace(/\.yml$/, '.test.yml');
}

export function positionOf(finding: Finding): FindingPosition {
  const { startLine, startColumn, endLine, endColumn } = finding.range;
  return { line: startLine + 1, column: startColumn + 1, endLine: endLine + 1, endColumn: endColumn + 1, severity: finding.severity };
}

/** `3:10-3:27`, with the severity when `withSeverity` (cases that state severities are shown the reported ones). */
function formatPosition(position: ExpectedFinding, withSeverity = false): string {
  const end = position.endLine === undefined ? '' : `-${position.endLine}:${position.endColumn ?? '?'}`;
  return `${position.line}:${position.column}${end}${withSeverity && position.severity ? ` (${position.severity})` : ''}`;
}

function matches(expected: ExpectedFinding, actual: FindingPosition): boolean {
  return (
    expected.line === actual.line &&
    expected.column === actual.column &&
    (expected.endLine === undefined || expected.endLine === actual.endLine) &&
    (expected.endColumn === undefined || expected.endColumn === actual.endColumn) &&
    (expected.severity === undefined || expected.severity === actual.severity)
  );
}

/** Pairs expected with reported positions, each used once; what stays unpaired on either side is returned. */
export function comparePositions(expected: readonly ExpectedFinding[], actual: readonly FindingPosition[]): { missing: ExpectedFinding[]; unexpected: FindingPosition[] } {
  const unused = [...actual];
  const missing: ExpectedFinding[] = [];
  for (const position of expected) {
    const at = unused.findIndex((candidate) => matches(position, candidate));
    if (at === -1) missing.push(position);
    else unused.splice(at, 1);
  }
  return { missing, unexpected: unused };
}

/**
 * The rule's own findings on one piece of code, analyzed as the file `file`: in test, fixture, example or
 * benchmark code (by the built-in conventions) the rule's `inTests` policy applies, as in a crawl.
 */
export function findingsOf(rule: CompiledRule, code: string, language: Language, file = 'case', modules?: Readonly<Record<string, string>>): Finding[] {
  const rules = ruleSetOf([rule]);
  const { findings: own, moduleFacts } = analyzeSource({ text: code, file, language, rules });
  const findings = modules ? [...own, ...joinedFindings(rules, file, moduleFacts, modules)] : own;
  const verdict = roleOfPath(file);
  const role = verdict === 'maybe-test' ? (looksLikeTestCode(code, language) ? 'test' : null) : verdict;
  const policy = rule.definition.inTests ?? defaultInTests(rule.definition.category);
  return findings
    .filter((finding) => finding.ruleId === rule.definition.id)
    .flatMap((finding) => (role ? (applyRolePolicy(finding, role, policy) ?? []) : [finding]))
    .sort((a, b) => a.range.startOffset - b.range.startOffset);
}

/** Findings in `file` from flows that start in the case's other modules (see engine/module-join.ts). */
function joinedFindings(rules: RuleSet, file: string, facts: ModuleFacts | undefined, modules: Readonly<Record<string, string>>): Finding[] {
  const all = new Map<string, ModuleFacts>(facts ? [[file, facts]] : []);
  for (const [other, text] of Object.entries(modules)) {
    const language: Language = other.endsWith('.tsx') ? 'tsx' : /\.[mc]?ts$/.test(other) ? 'typescript' : 'javascript';
    const found = analyzeSource({ text, file: other, language, rules }).moduleFacts;
    if (found) all.set(other, found);
  }
  return [...(joinModules(all, new Set([file, ...Object.keys(modules)])).findings.get(file) ?? [])];
}

/** The file a case's code is analyzed as: its `path`, or `case.js` beside its modules. */
function casePathOf(testCase: ValidRuleCase): string | undefined {
  return testCase.path ?? (testCase.modules ? 'case.js' : undefined);
}

/** The case's language, or null when the rule does not run on it. */
function caseLanguage(rule: CompiledRule, testCase: ValidRuleCase): Language | null {
  const language: Language = testCase.language ?? rule.definition.languages[0] ?? 'javascript';
  return rule.definition.languages.includes(language) ? language : null;
}

function languageError(testCase: ValidRuleCase): string {
  return `case language ${testCase.language ?? ''} is not one of the rule's languages`;
}

/**
 * The rule as the case's `target` sees it (see engine/target.ts): null when the rule needs a newer
 * edition and so does not run; without a target, the rule itself.
 */
function ruleUnderTarget(rule: CompiledRule, testCase: ValidRuleCase): CompiledRule | null {
  if (testCase.target === undefined) return rule;
  return ruleForTarget(rule, editionOf(testCase.target) ?? ES_NEXT);
}

function runValid(rule: CompiledRule, kind: 'valid' | 'doc.good', index: number, testCase: ValidRuleCase): CaseResult {
  const base = { ruleId: rule.definition.id, kind, index };
  const language = caseLanguage(rule, testCase);
  if (!language) return { ...base, outcome: 'Error', detail: languageError(testCase) };
  try {
    const targeted = ruleUnderTarget(rule, testCase);
    const own = targeted ? findingsOf(targeted, testCase.code, language, casePathOf(testCase), testCase.modules) : [];
    return own.length === 0
      ? { ...base, outcome: 'Validated', detail: '' }
      : { ...base, outcome: 'Noisy', detail: `reported ${own.length} finding(s) at ${own.map((f) => formatPosition(positionOf(f))).join(', ')}` };
  } catch (error) {
    return { ...base, outcome: 'Error', detail: (error as Error).message };
  }
}

/** `withheld`: the rule has a fix, but not under the case's target, so the code must come out unchanged. */
function fixOutcome(rule: CompiledRule, testCase: InvalidRuleCase, language: Language, own: readonly Finding[], withheld = false): { outcome: CaseOutcome; detail: string } {
  if (!rule.definition.fix) {
    if (testCase.output === undefined || (withheld && testCase.output === testCase.code)) return { outcome: 'Validated', detail: '' };
    if (withheld) return { outcome: 'Wrong', detail: `the fix needs a newer target than ${testCase.target ?? ''}, so \`output\` must equal \`code\`` };
    return { outcome: 'Error', detail: 'case has `output` but the rule has no fix' };
  }
  if (testCase.output === undefined) return { outcome: 'Error', detail: 'the rule has a fix, so every invalid case needs `output`' };
  const groups = own.flatMap((finding, i) => (finding.templateFix ? [{ id: String(i), edits: finding.templateFix.edits }] : []));
  const accepted = planFixes(groups).accepted;
  const output = applyEdits(testCase.code, accepted.flatMap((group) => group.edits));
  if (output !== testCase.output) return { outcome: 'Wrong', detail: `fix output differs:\n--- expected\n${testCase.output}\n--- actual\n${output}` };
  // A fix must cure what it fixes: on the fixed code the rule reports no more than the findings left unfixed.
  const after = findingsOf(rule, output, language, casePathOf(testCase), testCase.modules);
  if (after.length > own.length - accepted.length) {
    return { outcome: 'Wrong', detail: `the fixed code still triggers the rule: ${after.length} finding(s) after ${accepted.length} fix(es) of ${own.length}, at ${after.map((f) => formatPosition(positionOf(f))).join(', ')}` };
  }
  return { outcome: 'Validated', detail: '' };
}

/**
 * An invalid case passes when the rule reports exactly the expected positions. Expected positions not
 * reported are one Missing result, reported positions not expected one Noisy result; the fix output is
 * compared only once the findings are right.
 */
function runInvalid(rule: CompiledRule, index: number, testCase: InvalidRuleCase): CaseResult[] {
  const base = { ruleId: rule.definition.id, kind: 'invalid' as const, index };
  const language = caseLanguage(rule, testCase);
  if (!language) return [{ ...base, outcome: 'Error', detail: languageError(testCase) }];
  try {
    const targeted = ruleUnderTarget(rule, testCase);
    if (!targeted) return [{ ...base, outcome: 'Error', detail: `the rule needs ${rule.definition.minTarget ?? ''}, above the case's target ${testCase.target ?? ''}: make it a valid case` }];
    const own = findingsOf(targeted, testCase.code, language, casePathOf(testCase), testCase.modules);
    const { missing, unexpected } = comparePositions(testCase.errors, own.map(positionOf));
    const results: CaseResult[] = [];
    const severities = testCase.errors.some((error) => error.severity !== undefined);
    const shown = (position: ExpectedFinding): string => formatPosition(position, severities);
    const reported = own.length === 0 ? 'nothing' : own.map((f) => shown(positionOf(f))).join(', ');
    if (missing.length > 0) results.push({ ...base, outcome: 'Missing', detail: `expected a finding at ${missing.map(shown).join(', ')}; reported ${reported}` });
    if (unexpected.length > 0) results.push({ ...base, outcome: 'Noisy', detail: `reported at ${unexpected.map(shown).join(', ')}, which no expected finding names` });
    return results.length > 0 ? results : [{ ...base, ...fixOutcome(targeted, testCase, language, own, targeted.definition.fix === undefined && rule.definition.fix !== undefined) }];
  } catch (error) {
    return [{ ...base, outcome: 'Error', detail: (error as Error).message }];
  }
}

/**
 * The rule's documented examples (`doc.bad`, `doc.good`, published in `docs/rules.md`) are test cases
 * too: the bad one must be reported at least once, the good one not at all.
 */
export function runDocExamples(rule: CompiledRule): CaseResult[] {
  const { id, doc } = rule.definition;
  const bad = ((): CaseResult => {
    const base = { ruleId: id, kind: 'doc.bad' as const, index: 0 };
    try {
      const found = findingsOf(rule, doc.bad, rule.definition.languages[0] ?? 'javascript').length > 0;
      return found ? { ...base, outcome: 'Validated', detail: '' } : { ...base, outcome: 'Missing', detail: 'the documented bad example is not reported' };
    } catch (error) {
      return { ...base, outcome: 'Error', detail: (error as Error).message };
    }
  })();
  return [bad, runValid(rule, 'doc.good', 0, { code: doc.good })];
}

/** Runs the test cases beside one rule and its documented examples; a rule without a test file gets an Error result. */
export async function runRuleTests(rule: CompiledRule): Promise<CaseResult[]> {
  const file = testFileOf(rule);
  const docs = runDocExamples(rule);
  const missing = (detail: string): CaseResult[] => [{ ruleId: rule.definition.id, kind: 'invalid', index: 0, outcome: 'Error', detail }, ...docs];
  try {
    await access(file);
  } catch {
    return missing(`no test file ${file}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    return missing(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = RuleTestFileSchema.safeParse(raw);
  if (!parsed.success) return missing(`${file}: ${describeZodError(parsed.error)}`);
  return [
    ...parsed.data.valid.map((testCase, i) => runValid(rule, 'valid', i, testCase)),
    ...parsed.data.invalid.flatMap((testCase, i) => runInvalid(rule, i, testCase)),
    ...docs,
  ];
}
