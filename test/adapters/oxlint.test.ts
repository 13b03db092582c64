import { afterEach, describe, expect, it } from 'vitest';
import { oxlintAdapter } from '../../src/adapters/oxlint.js';
import { roachRejection } from '../helpers/errors.js';
import { cleanupTemp } from '../helpers/project.js';
import { adapterInput, writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

// A non-ASCII comment before the findings: oxlint reports UTF-8 byte offsets, the engine UTF-16 ones.
const APP = `// größe — ünïcode\nexport function f(a) {\n  debugger;\n  if (a === NaN) return eval(a);\n  return a;\n}\n`;

describe('oxlint adapter', () => {
  it('runs oxlint with --format json per category and maps codes, ranges and categories', async () => {
    const root = await writeProject({ 'src/app.js': APP, 'src/lib.min.js': 'debugger;\n', 'src/types.d.ts': 'declare const x: any;\n' });
    const outcome = await oxlintAdapter({ categories: ['correctness'], trustProjectCode: true }).run(adapterInput(root, ['src/app.js', 'src/lib.min.js', 'src/types.d.ts']));
    expect(outcome.status).toBe('ran');
    expect(outcome.detail).toMatch(/^bundled oxlint 1\.94\.0, categories correctness: 1 file\(s\) linted/);
    const byRule = new Map(outcome.findings.map((f) => [f.ruleId, f]));
    expect([...byRule.keys()].sort()).toEqual(['oxlint/eslint(no-debugger)', 'oxlint/eslint(no-eval)', 'oxlint/eslint(use-isnan)']);
    expect(byRule.get('oxlint/eslint(no-debugger)')).toMatchObject({ category: 'bug', snippet: 'debugger;', range: { startLine: 2, startColumn: 2 } });
    expect(byRule.get('oxlint/eslint(no-eval)')).toMatchObject({ severity: 'critical', category: 'security', cwe: 95, snippet: 'eval', range: { startLine: 3, startColumn: 24 } });
  });

  it('labels each finding with the category it was run for', async () => {
    const root = await writeProject({ 'src/a.js': 'export function g(a) {\n  debugger;\n  return a > 0 ? 42 : 7;\n}\n' });
    const outcome = await oxlintAdapter({ categories: ['correctness', 'style'], trustProjectCode: true }).run(adapterInput(root, ['src/a.js']));
    const categoryOf = new Map(outcome.findings.map((f) => [f.ruleId, f.category]));
    expect(categoryOf.get('oxlint/eslint(no-debugger)')).toBe('bug');
    expect(categoryOf.get('oxlint/eslint(no-ternary)')).toBe('style');
    expect(categoryOf.get('oxlint/eslint(no-magic-numbers)')).toBe('style');
  });

  it('fails, naming the binary, when oxlint is not installed there', async () => {
    const root = await writeProject({ 'src/app.js': APP });
    const error = await roachRejection(oxlintAdapter({ categories: ['correctness'], bin: 'tools/oxlint', trustProjectCode: true }).run(adapterInput(root, ['src/app.js'])));
    expect(error.code).toBe('CR_ERR_ADAPTER_FAILED');
    expect(error.message).toMatch(/tools\/oxlint is not installed/);
  });

  it("leaves out the project's oxlint config and binary when the crawl does not trust project code", async () => {
    const root = await writeProject({ 'src/app.js': APP, '.oxlintrc.json': '{ "jsPlugins": ["./plugin.js"], "rules": ' });
    const trusted = roachRejection(oxlintAdapter({ categories: ['correctness'], trustProjectCode: true }).run(adapterInput(root, ['src/app.js'])));
    expect((await trusted).message).toMatch(/^oxlint (exited with 1|printed no JSON report)/);
    const outcome = await oxlintAdapter({ categories: ['correctness'], bin: 'tools/oxlint', trustProjectCode: false }).run(adapterInput(root, ['src/app.js']));
    expect(outcome.detail).toMatch(/^bundled oxlint/);
    expect(outcome.findings.length).toBe(3);
  });

  it('is skipped when no lintable file changed', async () => {
    const root = await writeProject({ 'vendor/lib.min.js': 'debugger;\n' });
    const outcome = await oxlintAdapter({ categories: ['correctness'], trustProjectCode: true }).run(adapterInput(root, ['vendor/lib.min.js']));
    expect(outcome).toMatchObject({ status: 'skipped', findings: [] });
  });
});
