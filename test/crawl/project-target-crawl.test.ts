import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

/** js/no-prototype-builtins is opt-in: these projects switch it on. */
const ENABLE = 'rules:\n  enabled: [js/no-prototype-builtins]\n';
const OWN = "export function copy(source, target) {\n  for (const key in source) {\n    if (source.hasOwnProperty(key)) target[key] = source[key];\n  }\n}\n";

async function projectWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('roach-target-crawl-');
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

async function pendingDiffs(dir: string): Promise<string[]> {
  return inProject(dir, async (deps) => (await deps.store.listFixes(deps.project, ['pending'])).map((fix) => fix.diff));
}

describe('a crawl under the project target', () => {
  it('reports the hasOwnProperty finding of an ES2018 project with the ES2018 fix, not Object.hasOwn', async () => {
    const dir = await projectWith({ '.roach.yml': ENABLE, '.eslintrc.json': '{ "parserOptions": { "ecmaVersion": 2018 } }\n', 'own.js': OWN });
    const report = await crawlDir(dir);
    expect(report.target).toMatchObject({ edition: 'ES2018', source: '.eslintrc.json parserOptions.ecmaVersion', fixesInOlderForm: ['js/no-prototype-builtins'] });
    expect(report.findings.map((f) => f.ruleId)).toContain('js/no-prototype-builtins');
    expect(report.fixes).toEqual([expect.objectContaining({ ruleId: 'js/no-prototype-builtins', strategy: 'rule-template' })]);
    const diffs = await pendingDiffs(dir);
    expect(diffs.join('\n')).toContain('+    if (Object.prototype.hasOwnProperty.call(source, key)) target[key] = source[key];');
    expect(diffs.join('\n')).not.toContain('Object.hasOwn(');
  });

  it('uses Object.hasOwn when .roach.yml sets an ES2022 target', async () => {
    const dir = await projectWith({ '.eslintrc.json': '{ "parserOptions": { "ecmaVersion": 2018 } }\n', '.roach.yml': `${ENABLE}target: es2022\n`, 'own.js': OWN });
    const report = await crawlDir(dir);
    expect(report.target).toMatchObject({ edition: 'ES2022', source: '.roach.yml target', fixesInOlderForm: [] });
    expect((await pendingDiffs(dir)).join('\n')).toContain('+    if (Object.hasOwn(source, key)) target[key] = source[key];');
  });

  it('leaves out rules an ES5 project cannot follow and withholds fixes it cannot run, keeping their findings', async () => {
    const dir = await projectWith({ 'package.json': JSON.stringify({ name: 'old', engines: { node: '>=0.10' } }), 'old.js': 'var ratio = compute();\nif (ratio === NaN) retry();\nvar area = Math.pow(r, 2);\n' });
    const report = await crawlDir(dir);
    expect(report.target).toMatchObject({ edition: 'ES5', source: 'package.json engines.node ">=0.10" (Node 0.10.0)' });
    const rules = report.findings.map((f) => f.ruleId);
    expect(rules).not.toContain('js/no-var');
    expect(rules).not.toContain('js/prefer-exponentiation-operator');
    expect(report.findings.find((f) => f.ruleId === 'js/no-compare-nan')).toMatchObject({ fixable: false });
    expect(report.fixes).toEqual([]);
  });

  it('declines a learned copy of a fix the target cannot run', async () => {
    const dir = await projectWith({ 'package.json': JSON.stringify({ name: 'old', engines: { node: '>=4' } }), 'nan.js': 'if (ratio === NaN) retry();\n' });
    const first = await crawlDir(dir);
    const issue = first.findings.find((f) => f.ruleId === 'js/no-compare-nan');
    expect(issue).toBeDefined();
    // As if this fix had been approved before the target was known (or in another project of the organization).
    await inProject(dir, (deps) => deps.store.setPatternBestFix(deps.project, issue?.patternFingerprint ?? '', { template: 'Number.isNaN($VALUE)', safety: 'safe' }));
    await writeFile(path.join(dir, 'nan.js'), '// ratio check\nif (ratio === NaN) retry();\n');
    const second = await crawlDir(dir);
    expect(second.findings.map((f) => f.ruleId)).toContain('js/no-compare-nan');
    expect(second.fixes).toEqual([]);
  });

  it('reports an unknown target, with every rule and fix, when the project declares none', async () => {
    const dir = await projectWith({ 'a.js': 'var a = 1;\nexport { a };\n', '.roach.yml': 'rules:\n  enabled: [js/no-var]\n' });
    const report = await crawlDir(dir, { fix: false });
    expect(report.target).toEqual({ edition: null, source: null, declared: [], rulesLeftOut: [], fixesWithheld: [], fixesInOlderForm: [] });
    expect(report.findings.map((f) => f.ruleId)).toContain('js/no-var');
  });
});
