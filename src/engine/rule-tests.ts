import { access, readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Language } from '../domain/finding.js';
import { analyzeSource } from './analyze.js';
import { applyEdits, planFixes } from './fixer.js';
import type { CompiledRule } from './rules.js';
import { ruleSetOf } from './rules.js';
import { describeZodError } from '../domain/describe-zod-error.js';
import { RuleTestFileSchema } from './rule-schema.js';
import type { RuleTestCase } from './rule-schema.js';

/**
 * Outcome of one rule test case, named as the learning store names real fix outcomes:
 * Validated (as expected), Noisy (reported on valid code), Missing (not reported on invalid code),
 * Wrong (the fix produced other output than expected) and Error (the case could not run).
 */
export type CaseOutcome = 'Validated' | 'Noisy' | 'Missing' | 'Wrong' | 'Error';

export interface CaseResult {
  readonly ruleId: string;
  readonly kind: 'valid' | 'invalid';
  readonly index: number;
  readonly outcome: CaseOutcome;
  readonly detail: string;
}

export function testFileOf(rule: CompiledRule): string {
  return rule.sourceFile.replace(/\.yml$/, '.test.yml');
}

function runCase(rule: CompiledRule, kind: 'valid' | 'invalid', index: number, testCase: RuleTestCase): CaseResult {
  const base = { ruleId: rule.definition.id, kind, index };
  const language: Language = testCase.language ?? rule.definition.languages[0] ?? 'javascript';
  if (!rule.definition.languages.includes(language)) {
    return { ...base, outcome: 'Error', detail: `case language ${language} is not one of the rule's languages` };
  }
  try {
    const rules = ruleSetOf([rule]);
    const { findings } = analyzeSource({ text: testCase.code, file: 'case', language, rules });
    const own = findings.filter((finding) => finding.ruleId === rule.definition.id);
    if (kind === 'valid') {
      return own.length === 0
        ? { ...base, outcome: 'Validated', detail: '' }
        : { ...base, outcome: 'Noisy', detail: `reported ${own.length} finding(s) at line ${(own[0]?.range.startLine ?? 0) + 1}` };
    }
    const expected = testCase.count ?? 1;
    if (own.length !== expected) {
      return { ...base, outcome: own.length < expected ? 'Missing' : 'Noisy', detail: `expected ${expected} finding(s), got ${own.length}` };
    }
    if (rule.definition.fix) {
      if (testCase.output === undefined) {
        return { ...base, outcome: 'Error', detail: 'the rule has a fix, so every invalid case needs `output`' };
      }
      const groups = own.flatMap((finding, i) => (finding.templateFix ? [{ id: String(i), edits: finding.templateFix.edits }] : []));
      const plan = planFixes(groups);
      const output = applyEdits(testCase.code, plan.accepted.flatMap((group) => group.edits));
      if (output !== testCase.output) {
        return { ...base, outcome: 'Wrong', detail: `fix output differs:\n--- expected\n${testCase.output}\n--- actual\n${output}` };
      }
    } else if (testCase.output !== undefined) {
      return { ...base, outcome: 'Error', detail: 'case has `output` but the rule has no fix' };
    }
    return { ...base, outcome: 'Validated', detail: '' };
  } catch (error) {
    return { ...base, outcome: 'Error', detail: (error as Error).message };
  }
}

/** Runs the test cases beside one rule; a rule without a test file is one Error result. */
export async function runRuleTests(rule: CompiledRule): Promise<CaseResult[]> {
  const file = testFileOf(rule);
  const missing = (detail: string): CaseResult[] => [
    { ruleId: rule.definition.id, kind: 'invalid', index: 0, outcome: 'Error', detail },
  ];
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
    ...parsed.data.valid.map((testCase, i) => runCase(rule, 'valid', i, testCase)),
    ...parsed.data.invalid.map((testCase, i) => runCase(rule, 'invalid', i, testCase)),
  ];
}
