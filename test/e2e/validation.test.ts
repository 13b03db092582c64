import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rollbackFix } from '../../src/fixes/fix-actions.js';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

// A deliberately wrong rule whose "safe" fix turns `double(x)` into `x`: only the project's own
// tests can tell that it breaks behaviour.
const WRONG_RULE = `id: custom/inline-double
languages: [javascript]
severity: low
category: style
message: double() call can be inlined.
doc: {rationale: test rule, bad: double(x), good: x}
rule: {pattern: 'double($X)'}
fix: {template: '$X', safety: safe}
`;

const BENIGN_RULE = `id: custom/no-noop
languages: [javascript]
severity: low
category: style
message: noop() call does nothing.
doc: {rationale: test rule, bad: noop(), good: undefined}
rule: {pattern: 'noop()'}
fix: {template: 'undefined', safety: safe}
`;

async function makeProject(): Promise<string> {
  const dir = await tempDir('roach-validate-');
  await mkdir(path.join(dir, 'rules'));
  await mkdir(path.join(dir, 'test'));
  await writeFile(path.join(dir, 'rules', 'inline-double.yml'), WRONG_RULE);
  await writeFile(path.join(dir, 'rules', 'no-noop.yml'), BENIGN_RULE);
  await writeFile(path.join(dir, '.roach.yml'), 'rules:\n  dirs: [rules]\n');
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', scripts: { test: 'node --test test/' } }));
  const modules: string[] = [];
  for (let i = 0; i < 8; i++) {
    // Only module 5 uses double() in a way its tests check; every module has a harmless noop().
    const body = i === 5 ? 'export const value = () => double(21);' : 'export const value = () => 42;';
    await writeFile(path.join(dir, `m${i}.js`), `const double = (n) => n * 2;\nconst noop = () => {};\nnoop();\n${body}\nvoid double;\n`);
    modules.push(`import { value as v${i} } from '../m${i}.js';`);
  }
  await writeFile(
    path.join(dir, 'test', 'all.test.js'),
    `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\n${modules.join('\n')}\n` +
      `test('values', () => { for (const v of [${modules.map((_, i) => `v${i}`).join(', ')}]) assert.equal(v(), 42); });\n`,
  );
  return dir;
}

describe('validation with the project tests', () => {
  it('runs the tests on a batch, bisects to the breaking fix, and applies the rest', async () => {
    const dir = await makeProject();
    const report = await crawlDir(dir, { apply: true, validateWithTests: true });
    const decisions = report.fixes.map((f) => `${f.file}:${f.ruleId}:${f.decision}`).sort();
    expect(decisions).toContain('m5.js:custom/inline-double:failed-validation');
    expect(decisions.filter((d) => d.endsWith(':applied'))).toHaveLength(8);
    expect(report.fixes.find((f) => f.decision === 'failed-validation')?.reason).toMatch(/tests/);
    expect(await readFile(path.join(dir, 'm5.js'), 'utf8')).toContain('double(21)');
    expect(await readFile(path.join(dir, 'm0.js'), 'utf8')).toContain('\nundefined;\n');

    const failed = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['failed_validation']));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.validation.map((s) => `${s.step}:${s.passed}`)).toEqual(['reparse:true', 'reanalyze:true', 'check:false']);
    const applied = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['applied']));
    expect(applied.every((f) => f.validation.some((s) => s.step === 'check' && s.passed))).toBe(true);
    // The tests passed and ran each fix's line (`noop();` runs on import): 1 - (1 - q10(Beta(40, 1))) * 0.12.
    expect(applied.map((f) => f.confidence)).toEqual(applied.map(() => 0.9933));
    expect(applied.every((f) => f.validation.some((s) => s.step === 'coverage' && s.passed))).toBe(true);
  });

  it('does not blame fixes when the tests already fail without them', async () => {
    const dir = await makeProject();
    await writeFile(path.join(dir, 'test', 'broken.test.js'), "import { test } from 'node:test';\ntest('x', () => { throw new Error('already red'); });\n");
    const report = await crawlDir(dir, { apply: true, validateWithTests: true });
    expect(report.fixes.filter((f) => f.decision === 'failed-validation')).toEqual([]);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['applied', 'pending']));
    expect(pending.every((f) => f.validation.some((s) => s.step === 'check' && /already fail/.test(s.detail)))).toBe(true);
  });
});

describe('bytes outside the fix are kept', () => {
  it('keeps CRLF line endings, the BOM and the file mode, and rolls back exactly', async () => {
    const dir = await tempDir();
    const original = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('// héllo 😀\r\nfunction f(x) {\r\n  debugger;\r\n  return x === NaN;\r\n}\r\n', 'utf8'),
    ]);
    const file = path.join(dir, 'crlf.js');
    await writeFile(file, original);
    await chmod(file, 0o751);
    const report = await crawlDir(dir, { apply: true });
    expect(report.fixes.filter((f) => f.decision === 'applied')).toHaveLength(2);
    const fixed = await readFile(file);
    expect([...fixed.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(fixed.toString('utf8').slice(1)).toBe('// héllo 😀\r\nfunction f(x) {\r\n  return Number.isNaN(x);\r\n}\r\n');
    expect((await stat(file)).mode & 0o777).toBe(0o751);

    const applied = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['applied']));
    const newestFirst = [...applied].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const fix of newestFirst) await inProject(dir, (deps) => rollbackFix(deps, fix.id, 'tester'));
    expect(Buffer.compare(await readFile(file), original)).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o751);
  });
});
