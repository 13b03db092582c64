import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conventionNotes, decideProject, loadEslintDecision, respectDecisions } from '../../src/crawl/decisions.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { crawlDir } from '../helpers/crawl.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules();
});

const project = (files: Readonly<Record<string, string>>): Promise<string> => tempTree('roach-decisions-', files);

describe("golangci-lint's gosec excludes", () => {
  const signing = 'package lastfm\n\nimport "crypto/md5"\n\nfunc sign(params string, secret string) [16]byte {\n\treturn md5.Sum([]byte(params + secret))\n}\n';

  it('turn off the built-in rules of the gosec checks the project excludes (version 2 and version 1 layouts)', async () => {
    const v2 = 'version: "2"\nlinters:\n  enable:\n    - gosec\n  settings:\n    gosec:\n      excludes:\n        - G501\n        - G401\n';
    expect(await loadEslintDecision(await project({ '.golangci.yml': v2 }))).toEqual({
      file: '.golangci.yml',
      rulesOff: [{ rule: 'go/no-weak-hash', eslintRule: 'gosec:G401' }],
    });
    const v1 = 'linters-settings:\n  gosec:\n    excludes: [G401]\n';
    expect((await loadEslintDecision(await project({ '.golangci.yaml': v1 })))?.rulesOff).toEqual([{ rule: 'go/no-weak-hash', eslintRule: 'gosec:G401' }]);
    expect(await loadEslintDecision(await project({ '.golangci.yml': 'linters:\n  enable: [gosec]\n' }))).toEqual({ file: '.golangci.yml', rulesOff: [] });
  });

  it('leave a crawl without the excluded finding, and keep it in a project without them', async () => {
    const excluded = await crawlDir(await project({ '.golangci.yml': 'linters-settings:\n  gosec:\n    excludes: [G401, G501]\n', 'lastfm/sign.go': signing }), { fix: false });
    const plain = await crawlDir(await project({ 'lastfm/sign.go': signing }), { fix: false });
    expect(plain.findings.map((f) => f.ruleId)).toContain('go/no-weak-hash');
    expect(excluded.findings.map((f) => f.ruleId)).not.toContain('go/no-weak-hash');
  }, 60_000);
});

describe("the project's Biome configuration", () => {
  it('reads biome.jsonc (comments, trailing commas) as data and maps the checks it turns off to ours', async () => {
    const biome = `{
      // any is fine here
      "linter": { "rules": {
        "suspicious": { "noExplicitAny": "off", "noDoubleEquals": { "level": "off" }, "noDebugger": "error", },
        "style": { "noVar": "warn" },
      } },
    }`;
    const decision = await loadEslintDecision(await project({ 'biome.jsonc': biome }));
    expect(decision?.file).toBe('biome.jsonc');
    expect([...(decision?.rulesOff ?? [])].sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { rule: 'js/eqeqeq', eslintRule: 'eqeqeq' },
      { rule: 'js/no-as-any', eslintRule: '@typescript-eslint/no-explicit-any' },
    ]);
  });

  it('combines it with an ESLint configuration, and ignores a Biome file that does not parse', async () => {
    const both = await project({ '.eslintrc.json': JSON.stringify({ rules: { radix: 'off' } }), 'biome.json': '{"linter":{"rules":{"style":{"noVar":"off"}}}}' });
    expect(await loadEslintDecision(both)).toEqual({
      file: '.eslintrc.json, biome.json',
      rulesOff: [{ rule: 'js/radix', eslintRule: 'radix' }, { rule: 'js/no-var', eslintRule: 'no-var' }],
    });
    expect(await loadEslintDecision(await project({ 'biome.json': '{"linter": ' }))).toBeNull();
  });
});

describe("the project's ESLint configuration", () => {
  it('maps the rules it turns off to ours, naming the file', async () => {
    const root = await project({ '.eslintrc.json': JSON.stringify({ rules: { 'no-var': 'off', 'no-empty': 0, 'no-console': 'off' } }) });
    expect(await loadEslintDecision(root)).toEqual({
      file: '.eslintrc.json',
      rulesOff: [
        { rule: 'js/no-empty-catch', eslintRule: 'no-empty' },
        { rule: 'js/no-var', eslintRule: 'no-var' },
      ],
    });
  });

  it('takes the flat configuration before legacy files, and package.json eslintConfig last', async () => {
    const flat = await project({ 'eslint.config.mjs': "export default [{ rules: { radix: 'off' } }];\n", '.eslintrc.yml': 'rules:\n  no-var: off\n' });
    expect((await loadEslintDecision(flat))?.rulesOff).toEqual([{ rule: 'js/radix', eslintRule: 'radix' }]);
    const manifest = await project({ 'package.json': JSON.stringify({ name: 'x', eslintConfig: { rules: { eqeqeq: 0 } } }) });
    expect(await loadEslintDecision(manifest)).toEqual({ file: 'package.json', rulesOff: [{ rule: 'js/eqeqeq', eslintRule: 'eqeqeq' }] });
    expect(await loadEslintDecision(await project({ 'package.json': '{"name": "x"}' }))).toBeNull();
  });
});

describe("a sub-folder's linter configuration", () => {
  const throwing = "module.exports = { exits: { notFound: {} }, async fn() { throw 'notFound'; } };\n";
  const files = {
    'server/package.json': JSON.stringify({ name: 'server', eslintConfig: { rules: { 'no-throw-literal': 'off' } } }),
    'server/api/helpers/find.js': throwing,
    'client/src/find.js': throwing,
    'packages/web/.eslintrc.json': JSON.stringify({ rules: { radix: 'off' } }),
  };

  it('is read for folders one and two levels deep and names the folder it applies to', async () => {
    const decision = await loadEslintDecision(await project(files));
    expect(decision?.rulesOff).toEqual([]);
    expect(decision?.scoped).toEqual([
      { folder: 'packages/web', file: 'packages/web/.eslintrc.json', rulesOff: [{ rule: 'js/radix', eslintRule: 'radix' }] },
      { folder: 'server', file: 'server/package.json', rulesOff: [{ rule: 'js/no-throw-literal', eslintRule: 'no-throw-literal' }] },
    ]);
  });

  it('turns its rules off under that folder only', async () => {
    // js/no-throw-literal is opt-in: switched on here
    const report = await crawlDir(await project({ ...files, '.roach.yml': 'rules:\n  enabled: [js/no-throw-literal]\n' }), { fix: false });
    const throwing = report.findings.filter((f) => f.ruleId === 'js/no-throw-literal').map((f) => f.file);
    expect(throwing).toEqual(['client/src/find.js']);
    const decided = decideProject({ eslintConfig: await loadEslintDecision(await project(files)), conventions: false, enforce: [] }, rules, []);
    expect(decided.key).toBe(';packages/web:js/radix;server:js/no-throw-literal');
    expect(respectDecisions([{ ruleId: 'js/radix', file: 'packages/website/a.js' }, { ruleId: 'js/radix', file: 'packages/web/a.js' }], decided)).toEqual([{ ruleId: 'js/radix', file: 'packages/website/a.js' }]);
  }, 60_000);
});

describe('conventions', () => {
  it('a rule contradicted in at least its threshold of cases across files becomes one note', () => {
    const notes = conventionNotes(rules, [{ 'js/no-var': { violating: 60, conforming: 1 } }, { 'js/no-var': { violating: 40, conforming: 0 } }]);
    expect(notes).toEqual([{ rule: 'js/no-var', violating: 100, conforming: 1, message: expect.stringContaining('100 of 101') }]);
  });

  it('no note for a mixed project, nor for too few cases', () => {
    expect(conventionNotes(rules, [{ 'js/no-var': { violating: 40, conforming: 60 } }])).toEqual([]);
    expect(conventionNotes(rules, [{ 'js/no-var': { violating: 5, conforming: 0 } }])).toEqual([]);
  });

  it('respect.enforce keeps a rule reported; decisions drop the rules turned off', () => {
    const counts = [{ 'js/no-var': { violating: 100, conforming: 0 } }];
    const eslintConfig = { file: '.eslintrc', rulesOff: [{ rule: 'js/radix', eslintRule: 'radix' }] };
    const decided = decideProject({ eslintConfig, conventions: true, enforce: [] }, rules, counts);
    expect([...decided.off].sort()).toEqual(['js/no-var', 'js/radix']);
    expect(decided.key).toBe('js/no-var,js/radix');
    expect(respectDecisions([{ ruleId: 'js/no-var', file: 'a.js' }, { ruleId: 'js/no-eval', file: 'a.js' }, { ruleId: 'js/radix', file: 'a.js' }], decided)).toEqual([{ ruleId: 'js/no-eval', file: 'a.js' }]);
    expect([...decideProject({ eslintConfig, conventions: true, enforce: ['js/no-var', 'js/radix'] }, rules, counts).off]).toEqual([]);
  });
});

/** The rules these crawls are about are off by default (optIn): the project switches them on. */
const ENABLED = 'rules:\n  enabled: [js/no-var, js/radix, js/no-eval]\n';

const es5File = (n: number): string => Array.from({ length: n }, (_, i) => `var v${i} = ${i};`).join('\n') + '\nfunction f(o) { return Math.pow(o, 2); }\n';

describe('a crawl', () => {
  it('of an ES5 project (var everywhere): one convention note, no no-var findings', async () => {
    const root = await project({ 'lib/a.js': es5File(15), 'lib/b.js': es5File(15), 'lib/c.js': 'eval(input);\n', '.roach.yml': ENABLED });
    const report = await crawlDir(root, { fix: false });
    expect(report.findings.filter((f) => f.ruleId === 'js/no-var')).toEqual([]);
    expect(report.findings.map((f) => f.ruleId)).toContain('js/no-eval');
    expect(report.decisions?.conventions.map((note) => [note.rule, note.violating, note.conforming])).toEqual([['js/no-var', 30, 0]]);
  }, 60_000);

  it('of a mixed project still reports no-var; the ESLint configuration turns its rules off', async () => {
    const mixed = Array.from({ length: 25 }, (_, i) => (i % 4 === 0 ? `var v${i} = ${i};` : `const c${i} = ${i};`)).join('\n') + '\nconst n = parseInt(s);\n';
    const root = await project({ 'a.js': mixed, '.eslintrc.yml': 'rules:\n  radix: off\n', '.roach.yml': ENABLED });
    const report = await crawlDir(root, { fix: false });
    expect(report.findings.filter((f) => f.ruleId === 'js/no-var')).toHaveLength(7);
    expect(report.findings.filter((f) => f.ruleId === 'js/radix')).toEqual([]);
    expect(report.decisions).toEqual({ eslintConfig: { file: '.eslintrc.yml', rulesOff: [{ rule: 'js/radix', eslintRule: 'radix' }] }, conventions: [] });
  }, 60_000);

  it('counts the safe spellings of hasOwnProperty and aware datetimes as conforming, per rule', async () => {
    const direct = Array.from({ length: 22 }, (_, i) => `if (o${i}.hasOwnProperty('k')) n++;`).join('\n') + '\nif (Object.hasOwn(a, "k")) n++;\n';
    const mixed = Array.from({ length: 22 }, (_, i) => (i % 2 ? `Object.prototype.hasOwnProperty.call(o${i}, 'k');` : `o${i}.hasOwnProperty('k');`)).join('\n') + '\n';
    const naive = Array.from({ length: 21 }, (_, i) => `t${i} = datetime.datetime.utcnow()`).join('\n') + '\nnow = datetime.now(timezone.utc)\n';
    // both rules are opt-in: switched on here
    const optIn = 'rules:\n  enabled: [js/no-prototype-builtins, py/no-datetime-utcnow]\n';
    const convention = await crawlDir(await project({ '.roach.yml': optIn, 'lib/a.js': direct, 'app/times.py': naive }), { fix: false });
    expect(convention.decisions?.conventions.map((note) => [note.rule, note.violating, note.conforming])).toEqual([
      ['js/no-prototype-builtins', 22, 1],
      ['py/no-datetime-utcnow', 21, 1],
    ]);
    const half = await crawlDir(await project({ '.roach.yml': optIn, 'lib/a.js': mixed }), { fix: false });
    expect(half.findings.filter((f) => f.ruleId === 'js/no-prototype-builtins')).toHaveLength(11);
  }, 60_000);

  it('.roach.yml respect.enforce reports the rule in full', async () => {
    const root = await project({ 'lib/a.js': es5File(25), '.roach.yml': `respect:\n  enforce: [js/no-var]\n${ENABLED}` });
    const report = await crawlDir(root, { fix: false });
    expect(report.findings.filter((f) => f.ruleId === 'js/no-var')).toHaveLength(25);
    expect(report.decisions).toBeUndefined();
  }, 60_000);

  it('incrementally: when the practice changes, unchanged files are analyzed again under the new decisions', async () => {
    const root = await project({ 'lib/a.js': es5File(25), 'lib/b.js': 'var x = 1;\n', '.roach.yml': ENABLED });
    const first = await crawlDir(root, { fix: false });
    expect(first.findings.filter((f) => f.ruleId === 'js/no-var')).toEqual([]);
    // A rewrite to let/const in one file ends the convention: a.js (unchanged) reports its var findings again.
    await writeFile(path.join(root, 'lib/b.js'), Array.from({ length: 40 }, (_, i) => `let l${i} = ${i};`).join('\n') + '\n');
    const second = await crawlDir(root, { fix: false });
    expect(second.decisions).toBeUndefined();
    expect(second.findings.filter((f) => f.ruleId === 'js/no-var')).toHaveLength(25);
    // And back: the findings of unchanged a.js are resolved again.
    await writeFile(path.join(root, 'lib/b.js'), 'var y = 2;\n');
    const third = await crawlDir(root, { fix: false });
    expect(third.findings.filter((f) => f.ruleId === 'js/no-var')).toEqual([]);
    expect(third.openIssues.total).toBe(third.findings.length);
  }, 120_000);
});
