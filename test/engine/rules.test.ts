import { RULE_ID_PREFIX } from '../../src/engine/rule-schema.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoachError } from '../../src/domain/errors.js';
import { roachRejection } from '../helpers/errors.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { BUILTIN_RULES_DIR, loadRuleFile, loadRules, ruleSetOf } from '../../src/engine/rules.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'roach-rules-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface RuleFields {
  id?: string;
  severity?: string | null;
  languages?: string;
  rule?: string;
  extra?: string;
}

/** A valid rule file, with any field replaced (or dropped with null). */
function ruleYaml(fields: RuleFields = {}): string {
  const lines = [
    `id: ${fields.id ?? 'js/my-rule'}`,
    `languages: ${fields.languages ?? '[javascript, typescript]'}`,
    fields.severity === null ? '' : `severity: ${fields.severity ?? 'low'}`,
    'category: style',
    'message: Do not call console.log.',
    'doc:',
    '  rationale: Noise in production logs.',
    '  bad: "console.log(x)"',
    '  good: "logger.debug(x)"',
    `rule: ${fields.rule ?? '{ pattern: "console.log($$$ARGS)" }'}`,
    fields.extra ?? '',
  ];
  return `${lines.filter((line) => line !== '').join('\n')}\n`;
}

async function writeRule(relative: string, text: string): Promise<string> {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function loadError(file: string): Promise<RoachError> {
  return roachRejection(loadRuleFile(file, dir));
}

describe('loadRuleFile', () => {
  it('compiles a valid rule and collects the metavariables it mentions', async () => {
    const file = await writeRule(
      'javascript/my-rule.yml',
      ruleYaml({ rule: '{ pattern: "foo($A, $$$REST)" }', extra: 'constraints: { A: { regex: "^x" } }\nfix: { template: "bar($A)", safety: safe }' }),
    );
    const rule = await loadRuleFile(file, dir);
    expect(rule.definition.id).toBe('js/my-rule');
    expect(rule.sourceFile).toBe(file);
    expect([...rule.metavariables].sort()).toEqual(['A', 'REST']);
    expect(rule.config.constraints).toEqual({ A: { regex: '^x' } });
  });

  it.each([
    { name: 'bad YAML', text: 'id: [unclosed\nseverity: low\n', field: /not valid YAML/ },
    { name: 'missing severity', text: ruleYaml({ severity: null }), field: /severity/ },
    { name: 'unknown severity', text: ruleYaml({ severity: 'urgent' }), field: /severity/ },
    { name: 'unknown language', text: ruleYaml({ languages: '[cobol]' }), field: /languages\.0/ },
    { name: 'badly formed id', text: ruleYaml({ id: 'My Rule' }), field: /id: must look like/ },
    { name: 'misspelt key', text: ruleYaml({ extra: 'mesage: typo' }), field: /mesage/ },
    { name: 'empty ast-grep rule', text: ruleYaml({ rule: '{}' }), field: /rule: must not be empty/ },
    { name: 'fix without safety', text: ruleYaml({ extra: 'fix: { template: "x" }' }), field: /fix\.safety/ },
    { name: 'id not matching the file name', text: ruleYaml({ id: 'js/other-rule' }), field: /id: expected "js\/my-rule"/ },
    { name: 'ast-grep kind that does not exist', text: ruleYaml({ rule: '{ kind: no_such_kind_xyz }' }), field: /rule: ast-grep rejects it for javascript.*no_such_kind_xyz/s },
    { name: 'empty ast-grep pattern', text: ruleYaml({ rule: '{ pattern: "" }' }), field: /rule: ast-grep rejects it/ },
    { name: 'ast-grep regex that does not compile', text: ruleYaml({ rule: '{ kind: identifier, regex: "[" }' }), field: /rule: ast-grep rejects it/ },
  ])('refuses a rule with $name: CR_ERR_RULE_INVALID naming the file and the field', async ({ text, field }) => {
    const file = await writeRule('javascript/my-rule.yml', text);
    const error = await loadError(file);
    expect(error.code).toBe('CR_ERR_RULE_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(field);
    expect(error.details).toEqual({ file });
  });

  it('does not tie the id to the file name outside a language folder', async () => {
    const file = await writeRule('anything.yml', ruleYaml({ id: 'js/my-rule' }));
    await expect(loadRuleFile(file, dir)).resolves.toMatchObject({ definition: { id: 'js/my-rule' } });
  });
});

describe('loadRules', () => {
  it('loads the built-in pack, every rule tied to its file', async () => {
    const set = await loadRules();
    expect(set.rules.length).toBeGreaterThan(10);
    for (const rule of set.rules) {
      expect(rule.sourceFile.startsWith(BUILTIN_RULES_DIR)).toBe(true);
      const folder = path.basename(path.dirname(rule.sourceFile));
      expect(rule.definition.id).toBe(`${RULE_ID_PREFIX[folder]}/${path.basename(rule.sourceFile, '.yml')}`);
    }
    expect(set.byId('js/no-eval')?.definition.severity).toBe('medium');
    expect(new Set(set.rules.map((rule) => path.basename(path.dirname(rule.sourceFile))))).toEqual(new Set(['javascript', 'python', 'go', 'java']));
    expect(set.forLanguage('python').map((rule) => rule.definition.id)).toContain('py/no-eval');
  });

  it('skips a malformed rule of an extra folder, naming the file and field, and keeps the others', async () => {
    const file = await writeRule('javascript/my-rule.yml', ruleYaml({ severity: 'urgent' }));
    const set = await loadRules({ extraDirs: [dir, path.join(dir, 'missing-folder')] });
    expect(set.problems).toEqual([
      { file, message: expect.stringContaining('severity') as string },
      { file: path.join(dir, 'missing-folder'), message: expect.stringContaining('Cannot read the rule folder') as string },
    ]);
    expect(set.byId('js/no-eval')).toBeDefined();
  });

  it('lets a custom rule folder override a built-in rule with the same id', async () => {
    const file = await writeRule(
      'javascript/no-eval.yml',
      ruleYaml({ id: 'js/no-eval', rule: '{ pattern: "eval($X)" }' }).replace('Do not call console.log.', 'Custom eval message.'),
    );
    const set = await loadRules({ extraDirs: [dir] });
    expect(set.rules.filter((r) => r.definition.id === 'js/no-eval')).toHaveLength(1);
    expect(set.byId('js/no-eval')?.sourceFile).toBe(file);
    const findings = analyzeSource({ text: "eval('static');\n", file: 'a.js', language: 'javascript', rules: set }).findings;
    // The built-in rule ignores static strings; the override does not, and its message is used.
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([['js/no-eval', 'Custom eval message.']]);
    // The override replaces the built-in in the per-language lists too.
    expect(set.forLanguage('tsx').some((r) => r.definition.id === 'js/no-eval')).toBe(false);
  });

  it('adds custom rules to the built-in ones and skips .test.yml files', async () => {
    await writeRule('javascript/my-rule.yml', ruleYaml());
    await writeRule('javascript/my-rule.test.yml', 'this is: [not a rule');
    const set = await loadRules({ extraDirs: [dir] });
    const builtIn = await loadRules();
    expect(set.rules).toHaveLength(builtIn.rules.length + 1);
    expect(set.forLanguage('typescript').map((r) => r.definition.id)).toContain('js/my-rule');
    expect(set.forLanguage('tsx').map((r) => r.definition.id)).not.toContain('js/my-rule');
  });

  it('drops disabled rules everywhere', async () => {
    const set = await loadRules({ disabled: ['js/no-eval', 'js/no-debugger'] });
    expect(set.byId('js/no-eval')).toBeUndefined();
    expect(set.rules.map((r) => r.definition.id)).not.toContain('js/no-debugger');
    expect(set.forLanguage('javascript').map((r) => r.definition.id)).not.toContain('js/no-eval');
    const findings = analyzeSource({ text: 'eval(x);\ndebugger;\n', file: 'a.js', language: 'javascript', rules: set }).findings;
    expect(findings).toEqual([]);
  });

  it('loads an opt-in rule only when the selection enables it, and every rule when it names none', async () => {
    await writeRule('javascript/my-rule.yml', `${ruleYaml()}optIn: { reason: "mostly noise on real code" }\n`);
    const crawled = await loadRules({ extraDirs: [dir], enabled: [] });
    expect(crawled.byId('js/my-rule')).toBeUndefined();
    expect(crawled.byId('js/no-debugger')).toBeDefined();
    expect(crawled.byId('js/no-eval')).toBeUndefined();
    const switchedOn = await loadRules({ extraDirs: [dir], enabled: ['js/my-rule'] });
    expect(switchedOn.byId('js/my-rule')?.definition.optIn?.reason).toBe('mostly noise on real code');
    // Listing, documenting and testing the pack: no selection of opt-in rules, so all of them.
    expect((await loadRules({ extraDirs: [dir] })).byId('js/my-rule')).toBeDefined();
  });

  it('drops a disabled custom rule that overrides a built-in, leaving neither', async () => {
    await writeRule('javascript/no-eval.yml', ruleYaml({ id: 'js/no-eval' }));
    const set = await loadRules({ extraDirs: [dir], disabled: ['js/no-eval'] });
    expect(set.byId('js/no-eval')).toBeUndefined();
  });
});

describe('ruleSetOf', () => {
  it('gives an empty list for a language without rules', () => {
    const set = ruleSetOf([]);
    expect(set.forLanguage('javascript')).toEqual([]);
    expect(set.byId('js/no-eval')).toBeUndefined();
  });
});
