import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ES5, ES_NEXT } from '../../src/domain/es-edition.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRuleFile, loadRules } from '../../src/engine/rules.js';
import type { CompiledRule, RuleSet } from '../../src/engine/rules.js';
import { runRuleTests } from '../../src/engine/rule-tests.js';
import { ruleForTarget, rulesForTarget, targetEffects, templatesAboveTarget } from '../../src/engine/target.js';
import { RuleFileSchema } from '../../src/engine/rule-schema.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

/** A rule for `$X.includes($Y) === false` whose advice needs ES2016, with a fix that needs ES2022 and a fallback. */
const RULE = [
  'id: js/sample-target',
  'languages: [javascript]',
  'severity: low',
  'category: style',
  'minTarget: es2016',
  'message: Sample.',
  'doc: { rationale: Sample., bad: "a.includes(b) === false", good: "!a.includes(b)" }',
  'rule: { pattern: "$X.includes($Y) === false" }',
  'fix:',
  '  template: "!$X.includes($Y)"',
  '  safety: safe',
  '  minTarget: es2022',
  '  fallback: { template: "$X.indexOf($Y) === -1", safety: unsafe }',
  '',
].join('\n');

async function sampleRule(tests = 'valid:\n  - code: "x"\ninvalid:\n  - code: "a.includes(b) === false"\n    output: "!a.includes(b)"\n    errors: [{ line: 1, column: 1 }]\n'): Promise<CompiledRule> {
  const dir = await tempDir('roach-target-rule-');
  await mkdir(path.join(dir, 'javascript'));
  const file = path.join(dir, 'javascript', 'sample-target.yml');
  await writeFile(file, RULE);
  await writeFile(path.join(dir, 'javascript', 'sample-target.test.yml'), tests);
  return loadRuleFile(file, dir);
}

function fixTexts(rules: RuleSet, code: string): (string | null)[] {
  return analyzeSource({ text: code, file: 'a.js', language: 'javascript', rules }).findings.map((f) => f.templateFix?.edits[0]?.text ?? null);
}

describe('ruleForTarget', () => {
  it('keeps the rule and its fix at or above the fix edition', async () => {
    const rule = await sampleRule();
    expect(ruleForTarget(rule, 2022)).toBe(rule);
    expect(ruleForTarget(rule, ES_NEXT)).toBe(rule);
  });

  it('swaps in the fallback fix between the rule edition and the fix edition', async () => {
    const targeted = ruleForTarget(await sampleRule(), 2018);
    expect(targeted?.definition.fix).toEqual({ template: '$X.indexOf($Y) === -1', safety: 'unsafe' });
  });

  it('leaves the rule out below its own edition', async () => {
    expect(ruleForTarget(await sampleRule(), 2015)).toBeNull();
  });

  it('removes a fix with no fallback, keeping the finding', async () => {
    const rules = await loadRules({ target: ES5, disabled: [] });
    const nan = rules.byId('js/no-compare-nan');
    expect(nan).toBeDefined();
    expect(nan?.definition.fix).toBeUndefined();
    expect(fixTexts(rules, 'if (x === NaN) retry();\n')).toEqual([null]);
  });
});

describe('loadRules with a target', () => {
  it('gives the ES2018 spelling of the hasOwn fix, and the ES2022 one from ES2022 on', async () => {
    const code = "if (query.hasOwnProperty('page')) paginate();\n";
    expect(fixTexts(await loadRules({ target: 2018 }), code)).toEqual(["Object.prototype.hasOwnProperty.call(query, 'page')"]);
    expect(fixTexts(await loadRules({ target: 2022 }), code)).toEqual(["Object.hasOwn(query, 'page')"]);
    expect(fixTexts(await loadRules(), code)).toEqual(["Object.hasOwn(query, 'page')"]);
  });

  it('leaves out rules whose advice needs a newer edition', async () => {
    const es5 = await loadRules({ target: ES5 });
    expect(es5.byId('js/no-var')).toBeUndefined();
    expect(es5.byId('js/prefer-exponentiation-operator')).toBeUndefined();
    expect(es5.byId('js/eqeqeq')).toBeDefined();
    const es2015 = await loadRules({ target: 2015 });
    expect(es2015.byId('js/no-var')).toBeDefined();
    expect(es2015.byId('js/prefer-exponentiation-operator')).toBeUndefined();
  });
});

describe('targetEffects', () => {
  it('names the rules left out, the fixes withheld and the fixes in their older form', async () => {
    const all = (await loadRules()).rules;
    const effects = targetEffects(all, 2018);
    expect(effects.rulesLeftOut).toEqual(['js/no-json-deep-clone']);
    expect(effects.fixesWithheld).toEqual([]);
    expect(effects.fixesInOlderForm).toEqual(['js/no-prototype-builtins']);
    const es5 = targetEffects(all, ES5);
    expect(es5.rulesLeftOut).toEqual(expect.arrayContaining(['js/no-var', 'js/prefer-array-find', 'js/prefer-exponentiation-operator', 'js/no-template-curly-in-string']));
    expect(es5.fixesWithheld).toEqual(expect.arrayContaining(['js/no-compare-nan', 'js/no-compare-nan-negated', 'js/no-map-over-empty-slots']));
    expect(es5.fixesInOlderForm).toEqual(expect.arrayContaining(['js/no-map-parse-int', 'js/no-prototype-builtins']));
    expect(targetEffects(all, undefined)).toEqual({ rulesLeftOut: [], fixesWithheld: [], fixesInOlderForm: [] });
    expect(rulesForTarget(all, undefined)).toHaveLength(all.length);
  });
});

describe('rule schema', () => {
  it('refuses a fallback without the fix edition it stands in for, and an unknown edition', () => {
    const base = { id: 'js/x', languages: ['javascript'], severity: 'low', category: 'style', message: 'm', doc: { rationale: 'r', bad: 'b', good: 'g' }, rule: { pattern: 'a' } };
    expect(RuleFileSchema.safeParse({ ...base, fix: { template: 'b', safety: 'safe', fallback: { template: 'c', safety: 'safe' } } }).success).toBe(false);
    expect(RuleFileSchema.safeParse({ ...base, minTarget: 'es2023' }).success).toBe(true);
    expect(RuleFileSchema.safeParse({ ...base, minTarget: 'ES2023' }).success).toBe(false);
    expect(RuleFileSchema.safeParse({ ...base, minTarget: 'esnext' }).success).toBe(false);
  });
});

describe('rule test cases with a target', () => {
  const outcomes = async (tests: string): Promise<string[]> => (await runRuleTests(await sampleRule(tests))).filter((r) => r.kind === 'valid' || r.kind === 'invalid').map((r) => `${r.kind} ${r.outcome}${r.detail ? `: ${r.detail.split('\n')[0] ?? ''}` : ''}`);

  it('runs an invalid case under its target: the older fix is the expected output', async () => {
    const tests = 'valid:\n  - code: "a.includes(b) === false"\n    target: es2015\ninvalid:\n  - code: "a.includes(b) === false"\n    target: es2018\n    output: "a.indexOf(b) === -1"\n    errors: [{ line: 1, column: 1 }]\n';
    expect(await outcomes(tests)).toEqual(['valid Validated', 'invalid Validated']);
  });

  it('says Wrong when the output expects the newer fix under an older target', async () => {
    const tests = 'valid:\n  - code: "x"\ninvalid:\n  - code: "a.includes(b) === false"\n    target: es2018\n    output: "!a.includes(b)"\n    errors: [{ line: 1, column: 1 }]\n';
    expect(await outcomes(tests)).toEqual(['valid Validated', 'invalid Wrong: fix output differs:']);
  });

  it('says Error for an invalid case under a target the rule does not run on', async () => {
    const tests = 'valid:\n  - code: "x"\ninvalid:\n  - code: "a.includes(b) === false"\n    target: es5\n    output: "x"\n    errors: [{ line: 1, column: 1 }]\n';
    expect(await outcomes(tests)).toEqual(['valid Validated', "invalid Error: the rule needs es2016, above the case's target es5: make it a valid case"]);
  });
});

describe('templatesAboveTarget', () => {
  it('lists the fix templates a target cannot run', async () => {
    const all = (await loadRules()).rules;
    expect(templatesAboveTarget(all, 2018)).toEqual(['Object.hasOwn($OBJ, $KEY)']);
    expect(templatesAboveTarget(all, ES5)).toEqual(expect.arrayContaining(['Number.isNaN($VALUE)', 'Object.hasOwn($OBJ, $KEY)']));
    expect(templatesAboveTarget(all, undefined)).toEqual([]);
  });
});
