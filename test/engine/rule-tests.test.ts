import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparePositions, runRuleTests } from '../../src/engine/rule-tests.js';
import type { CaseResult } from '../../src/engine/rule-tests.js';
import { loadRuleFile } from '../../src/engine/rules.js';
import { cleanupTemp, roach, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

interface RuleOptions {
  readonly bad?: string;
  readonly good?: string;
  readonly fix?: boolean;
  /** The fix template; default `logger.debug($$$ARGS)`. */
  readonly template?: string;
}

/** A rule reporting `console.log(...)` calls, with its documented examples. */
function ruleYaml({ bad = 'console.log(x)', good = 'logger.debug(x)', fix = false, template = 'logger.debug($$$ARGS)' }: RuleOptions = {}): string {
  return [
    'id: js/no-console-log',
    'languages: [javascript]',
    'severity: low',
    'category: style',
    'message: Do not call console.log.',
    'doc:',
    '  rationale: Noise in production logs.',
    `  bad: ${JSON.stringify(bad)}`,
    `  good: ${JSON.stringify(good)}`,
    'rule: { pattern: "console.log($$$ARGS)" }',
    fix ? `fix: { template: ${JSON.stringify(template)}, safety: safe }` : '',
    '',
  ].join('\n');
}

const TWO_CALLS = 'function f(x) {\n  console.log(x);\n  return console.log(x, 1);\n}\n';

/** Writes a rule and its test file into a fresh folder and runs them. */
async function run(tests: string, options: RuleOptions = {}): Promise<CaseResult[]> {
  const dir = await tempDir('roach-rule-tests-');
  await mkdir(path.join(dir, 'javascript'));
  const file = path.join(dir, 'javascript', 'no-console-log.yml');
  await writeFile(file, ruleYaml(options));
  await writeFile(path.join(dir, 'javascript', 'no-console-log.test.yml'), tests);
  return runRuleTests(await loadRuleFile(file, dir));
}

function invalidCase(errors: string, extra = ''): string {
  return `valid:\n  - code: "logger.debug(x)"\ninvalid:\n  - code: ${JSON.stringify(TWO_CALLS)}\n${extra}    errors:\n${errors}`;
}

function outcomes(results: readonly CaseResult[]): string[] {
  return results.map((r) => `${r.kind}#${r.index} ${r.outcome}`);
}

describe('rule test cases with positions', () => {
  it('validates an invalid case whose findings are at the stated lines and columns (ends optional)', async () => {
    const results = await run(invalidCase('      - { line: 2, column: 3, endLine: 2, endColumn: 17 }\n      - { line: 3, column: 10 }\n'));
    expect(outcomes(results)).toEqual(['valid#0 Validated', 'invalid#0 Validated', 'doc.bad#0 Validated', 'doc.good#0 Validated']);
  });

  it('reports a finding at another position as Missing (the stated one) plus Noisy (the reported one)', async () => {
    const results = await run(invalidCase('      - { line: 2, column: 3 }\n      - { line: 3, column: 3 }\n'));
    const invalid = results.filter((r) => r.kind === 'invalid');
    expect(invalid.map((r) => [r.outcome, r.detail])).toEqual([
      ['Missing', 'expected a finding at 3:3; reported 2:3-2:17, 3:10-3:27'],
      ['Noisy', 'reported at 3:10-3:27, which no expected finding names'],
    ]);
  });

  it('checks the end position when the case states it', async () => {
    const results = await run(invalidCase('      - { line: 2, column: 3, endLine: 2, endColumn: 16 }\n      - { line: 3, column: 10 }\n'));
    expect(outcomes(results.filter((r) => r.kind === 'invalid'))).toEqual(['invalid#0 Missing', 'invalid#0 Noisy']);
  });

  it('reports fewer findings than stated as Missing and more as Noisy', async () => {
    const fewer = await run(invalidCase('      - { line: 2, column: 3 }\n      - { line: 3, column: 10 }\n      - { line: 4, column: 1 }\n'));
    expect(fewer.filter((r) => r.kind === 'invalid').map((r) => [r.outcome, r.detail])).toEqual([['Missing', 'expected a finding at 4:1; reported 2:3-2:17, 3:10-3:27']]);
    const more = await run(invalidCase('      - { line: 2, column: 3 }\n'));
    expect(more.filter((r) => r.kind === 'invalid').map((r) => [r.outcome, r.detail])).toEqual([['Noisy', 'reported at 3:10-3:27, which no expected finding names']]);
  });

  it('compares the fix output only once the positions match', async () => {
    const wrongOutput = `    output: ${JSON.stringify('something else')}\n`;
    const misplaced = await run(invalidCase('      - { line: 2, column: 3 }\n      - { line: 9, column: 9 }\n', wrongOutput), { fix: true });
    expect(outcomes(misplaced.filter((r) => r.kind === 'invalid'))).toEqual(['invalid#0 Missing', 'invalid#0 Noisy']);
    const placed = await run(invalidCase('      - { line: 2, column: 3 }\n      - { line: 3, column: 10 }\n', wrongOutput), { fix: true });
    expect(outcomes(placed.filter((r) => r.kind === 'invalid'))).toEqual(['invalid#0 Wrong']);
  });

  it('calls a fix Wrong when the fixed code still triggers the rule, even with the expected output', async () => {
    const stillLogs = 'function f(x) {\n  console.log((x));\n  return console.log((x, 1));\n}\n';
    const results = await run(invalidCase('      - { line: 2, column: 3 }\n      - { line: 3, column: 10 }\n', `    output: ${JSON.stringify(stillLogs)}\n`), { fix: true, template: 'console.log(($$$ARGS))' });
    const invalid = results.filter((r) => r.kind === 'invalid');
    expect(outcomes(invalid)).toEqual(['invalid#0 Wrong']);
    expect(invalid[0]?.detail).toBe('the fixed code still triggers the rule: 2 finding(s) after 2 fix(es) of 2, at 2:3-2:19, 3:10-3:29');
  });

  it('refuses an invalid case without positions, or with the old `count`', async () => {
    const none = await run('valid:\n  - code: "logger.debug(x)"\ninvalid:\n  - code: "console.log(x)"\n');
    expect(none[0]).toMatchObject({ outcome: 'Error', detail: expect.stringContaining('invalid.0.errors') });
    const counted = await run('valid:\n  - code: "logger.debug(x)"\ninvalid:\n  - code: "console.log(x)"\n    count: 1\n    errors: [{ line: 1, column: 1 }]\n');
    expect(counted[0]).toMatchObject({ outcome: 'Error', detail: expect.stringContaining('invalid.0.count: unknown key') });
    const zero = await run('valid:\n  - code: "logger.debug(x)"\ninvalid:\n  - code: "console.log(x)"\n    errors: [{ line: 0, column: 1 }]\n');
    expect(zero[0]).toMatchObject({ outcome: 'Error', detail: expect.stringContaining('invalid.0.errors.0.line') });
  });
});

describe('documented examples as test cases', () => {
  const tests = invalidCase('      - { line: 2, column: 3 }\n      - { line: 3, column: 10 }\n');

  it('reports a bad example the rule does not find as Missing, and a good example it finds as Noisy', async () => {
    const results = await run(tests, { bad: 'console.info(x)', good: 'if (debug) console.log(x)' });
    expect(results.filter((r) => r.kind.startsWith('doc.')).map((r) => [r.kind, r.outcome, r.detail])).toEqual([
      ['doc.bad', 'Missing', 'the documented bad example is not reported'],
      ['doc.good', 'Noisy', 'reported 1 finding(s) at 1:12-1:26'],
    ]);
  });

  it('checks the documented examples even when the test file is missing', async () => {
    const dir = await tempDir('roach-rule-tests-');
    await mkdir(path.join(dir, 'javascript'));
    const file = path.join(dir, 'javascript', 'no-console-log.yml');
    await writeFile(file, ruleYaml({ good: 'console.log(x)' }));
    const results = await runRuleTests(await loadRuleFile(file, dir));
    expect(outcomes(results)).toEqual(['invalid#0 Error', 'doc.bad#0 Validated', 'doc.good#0 Noisy']);
  });
});

describe('comparePositions', () => {
  it('pairs each stated position with one reported finding', () => {
    const at = (line: number, column: number) => ({ line, column, endLine: line, endColumn: column + 5 });
    expect(comparePositions([{ line: 1, column: 1 }, { line: 1, column: 1 }], [at(1, 1), at(2, 1)])).toEqual({ missing: [{ line: 1, column: 1 }], unexpected: [at(2, 1)] });
    expect(comparePositions([{ line: 2, column: 1 }, { line: 1, column: 1 }], [at(1, 1), at(2, 1)])).toEqual({ missing: [], unexpected: [] });
  });
});

describe('roach rules test', () => {
  it('exits 1 and names a misplaced finding as Missing plus Noisy, and a broken doc example', async () => {
    const dir = await tempDir('roach-rules-cli-');
    await mkdir(path.join(dir, 'javascript'));
    await writeFile(path.join(dir, 'javascript', 'no-console-log.yml'), ruleYaml({ bad: 'console.info(x)' }));
    await writeFile(path.join(dir, 'javascript', 'no-console-log.test.yml'), invalidCase('      - { line: 2, column: 3 }\n      - { line: 3, column: 3 }\n'));
    const result = await roach(['rules', 'test', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'Missing   js/no-console-log invalid#0: expected a finding at 3:3; reported 2:3-2:17, 3:10-3:27',
      'Noisy     js/no-console-log invalid#0: reported at 3:10-3:27, which no expected finding names',
      'Missing   js/no-console-log doc.bad: the documented bad example is not reported',
      '2 Validated, 1 Noisy, 2 Missing, 0 Wrong, 0 Error',
      '',
    ]);
  });
});

describe('rule test cases on a test-code path', () => {
  const code = JSON.stringify('console.log(x);\n');
  const withPolicy = async (policy: string, tests: string): Promise<string[]> => {
    const dir = await tempDir('roach-rule-tests-');
    await mkdir(path.join(dir, 'javascript'));
    const file = path.join(dir, 'javascript', 'no-console-log.yml');
    await writeFile(file, `${ruleYaml()}inTests: ${policy}\n`);
    await writeFile(path.join(dir, 'javascript', 'no-console-log.test.yml'), tests);
    return outcomes((await runRuleTests(await loadRuleFile(file, dir))).filter((r) => r.kind === 'valid' || r.kind === 'invalid'));
  };

  it('analyses the code as the case path: an off rule reports nothing in a test file, but does elsewhere', async () => {
    const tests = `valid:\n  - code: ${code}\n    path: test/a.test.js\n  - code: ${code}\n    path: src/a.js\ninvalid:\n  - code: ${code}\n    errors:\n      - { line: 1, column: 1 }\n`;
    expect(await withPolicy('off', tests)).toEqual(['valid#0 Validated', 'valid#1 Noisy', 'invalid#0 Validated']);
  });

  it('checks the severity an error states: lowered in a test file, kept elsewhere', async () => {
    const tests = `valid:\n  - code: "x"\ninvalid:\n  - code: ${code}\n    path: tests/a.spec.js\n    errors:\n      - { line: 1, column: 1, severity: low }\n  - code: ${code}\n    path: tests/a.spec.js\n    errors:\n      - { line: 1, column: 1, severity: medium }\n`;
    expect(await withPolicy('low', tests)).toEqual(['valid#0 Validated', 'invalid#0 Validated', 'invalid#1 Missing', 'invalid#1 Noisy']);
  });
});
