import { existsSync } from 'node:fs';
import { symlink, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eslintAdapter } from '../../src/adapters/eslint.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { roachRejection } from '../helpers/errors.js';
import { cleanupTemp, REPO_ROOT } from '../helpers/project.js';
import { adapterInput, writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

const TRUSTED = { trustProjectCode: true } as const;

const CONFIG = `export default [{ rules: { 'no-eval': 'error', 'no-debugger': 'warn', 'prefer-const': 'error', 'no-useless-escape': 'error' } }];\n`;
const APP = `export function run(input) {\n  let total = 1;\n  debugger;\n  const re = "a\\.b";\n  return eval(input) + total + re;\n}\n`;

describe('ESLint adapter', () => {
  it("runs the project's flat config and maps messages, categories, ranges and fixes", async () => {
    const root = await writeProject({ 'eslint.config.js': CONFIG, 'package.json': '{"type":"module"}', 'src/app.js': APP });
    const outcome = await eslintAdapter(TRUSTED).run(adapterInput(root, ['src/app.js']));
    expect(outcome.status).toBe('ran');
    expect(outcome.detail).toMatch(/^bundled eslint 10\.15\.0 with eslint\.config\.js/);
    const byRule = new Map(outcome.findings.map((f) => [f.ruleId, f]));
    expect([...byRule.keys()].sort()).toEqual(['eslint/no-debugger', 'eslint/no-eval', 'eslint/no-useless-escape', 'eslint/prefer-const']);

    const evalFinding = byRule.get('eslint/no-eval');
    expect(evalFinding).toMatchObject({ severity: 'critical', category: 'security', cwe: 95, snippet: 'eval', engines: ['eslint'] });
    expect(evalFinding?.range).toMatchObject({ startLine: 4, startColumn: 9 });
    expect(byRule.get('eslint/no-debugger')).toMatchObject({ severity: 'low', category: 'bug', snippet: 'debugger;' });

    // ESLint's own fix: safe, and applying its edits gives what `eslint --fix` would.
    const constFix = byRule.get('eslint/prefer-const')?.templateFix;
    expect(constFix?.safety).toBe('safe');
    expect(applyEdits(APP, constFix?.edits ?? [])).toContain('  const total = 1;\n');
    // A suggestion only: unsafe, left for review.
    const escapeFix = byRule.get('eslint/no-useless-escape')?.templateFix;
    expect(escapeFix?.safety).toBe('unsafe');
    // Tool edits are no template: an approved one must not become a pattern's reusable best fix.
    expect([constFix?.template, escapeFix?.template]).toEqual([null, null]);
  });

  it('gives the same fingerprints on a second run, and keeps them when lines move', async () => {
    const root = await writeProject({ 'eslint.config.js': CONFIG, 'src/app.js': APP });
    const first = await eslintAdapter(TRUSTED).run(adapterInput(root, ['src/app.js']));
    const moved = await writeProject({ 'eslint.config.js': CONFIG, 'src/app.js': `// header\n\n${APP}` });
    const second = await eslintAdapter(TRUSTED).run(adapterInput(moved, ['src/app.js']));
    expect(second.findings.map((f) => f.fingerprint).sort()).toEqual(first.findings.map((f) => f.fingerprint).sort());
    expect(second.findings.find((f) => f.ruleId === 'eslint/no-eval')?.range.startLine).toBe(6);
  });

  it("prefers the project's own installed eslint", async () => {
    const root = await writeProject({ 'eslint.config.js': CONFIG, 'src/app.js': APP });
    await mkdir(path.join(root, 'node_modules'), { recursive: true });
    await symlink(path.join(REPO_ROOT, 'node_modules', 'eslint'), path.join(root, 'node_modules', 'eslint'), 'dir');
    const outcome = await eslintAdapter(TRUSTED).run(adapterInput(root, ['src/app.js']));
    expect(outcome.detail).toMatch(/^project eslint 10\.15\.0/);
    expect(outcome.findings.length).toBe(4);
  });

  it("does not run a repository's config when the crawl does not trust project code (service mode)", async () => {
    const root = await writeProject({ 'eslint.config.js': "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./ran.txt', import.meta.url), 'config code ran');\nexport default [];\n", 'src/app.js': APP });
    const outcome = await eslintAdapter({ trustProjectCode: false }).run(adapterInput(root, ['src/app.js']));
    expect(outcome).toMatchObject({ status: 'skipped', findings: [] });
    expect(existsSync(path.join(root, 'ran.txt'))).toBe(false);
    // The same config does run for a trusted crawl: the test above would notice if it never could.
    await eslintAdapter(TRUSTED).run(adapterInput(root, ['src/app.js']));
    expect(existsSync(path.join(root, 'ran.txt'))).toBe(true);
  });

  it('is skipped, not failed, when the project has no ESLint config', async () => {
    const root = await writeProject({ 'src/app.js': APP });
    const outcome = await eslintAdapter(TRUSTED).run(adapterInput(root, ['src/app.js']));
    expect(outcome).toMatchObject({ status: 'skipped', findings: [] });
    expect(outcome.detail).toMatch(/no ESLint config/);
  });

  it('fails with the config error when the config does not load', async () => {
    const root = await writeProject({ 'eslint.config.js': "import missing from 'no-such-eslint-plugin';\nexport default [missing];\n", 'src/app.js': APP });
    const error = await roachRejection(eslintAdapter(TRUSTED).run(adapterInput(root, ['src/app.js'])));
    expect(error.code).toBe('CR_ERR_ADAPTER_FAILED');
    expect(error.message).toMatch(/no-such-eslint-plugin/);
  });

  it('names a configured config file that does not exist', async () => {
    const root = await writeProject({ 'src/app.js': APP });
    const error = await roachRejection(eslintAdapter({ ...TRUSTED, configFile: 'lint/eslint.config.js' }).run(adapterInput(root, ['src/app.js'])));
    expect(error.message).toMatch(/lint\/eslint\.config\.js does not exist/);
  });

  it('leaves out files the config ignores', async () => {
    const config = `export default [{ ignores: ['gen/**'] }, { rules: { 'no-eval': 'error' } }];\n`;
    const root = await writeProject({ 'eslint.config.js': config, 'gen/out.js': 'eval(x);\n', 'src/a.js': 'eval(y);\n' });
    const outcome = await eslintAdapter(TRUSTED).run(adapterInput(root, ['gen/out.js', 'src/a.js']));
    expect(outcome.findings.map((f) => f.file)).toEqual(['src/a.js']);
  });
});
