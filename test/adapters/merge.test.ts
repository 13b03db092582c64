import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeFindings } from '../../src/adapters/merge.js';
import { toJsonReport } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { crawlDir } from '../helpers/crawl.js';
import type { Finding } from '../../src/domain/finding.js';
import { evalFinding } from '../helpers/findings.js';
import { cleanupTemp } from '../helpers/project.js';
import { writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

const makeFinding = (overrides: Partial<Finding>): Finding => ({ ...evalFinding('src/a.js', 1), ...overrides });
const at = (startLine: number, endLine = startLine) => ({ startLine, startColumn: 0, endLine, endColumn: 4, startOffset: startLine * 10, endOffset: startLine * 10 + 4 });

describe('mergeFindings', () => {
  it.each([
    ['the same rule under its ESLint and oxlint names', 'js/no-eval', 'oxlint/eslint(no-eval)', at(3), at(3), true],
    ['an ESLint rule and a typescript-eslint one oxlint reports', 'eslint/@typescript-eslint/no-for-in-array', 'oxlint/typescript(no-for-in-array)', at(3), at(3), true],
    ['a renamed built-in (no-new-function is no-new-func)', 'js/no-new-function', 'eslint/no-new-func', at(3), at(2, 4), true],
    ['the same rule on other lines', 'js/no-eval', 'eslint/no-eval', at(3), at(4), false],
    ['different rules without a CWE', 'js/no-debugger', 'eslint/no-console', at(3), at(3), false],
    ['CWE-95 and its parent CWE-94 on one line', 'js/no-eval', 'codeql/js/code-injection', at(3), at(3), true, 95, 94],
    ['unrelated CWEs on one line', 'js/no-eval', 'codeql/js/sql-injection', at(3), at(3), false, 95, 89],
  ])('%s: merged=%s', (_case, ruleA, ruleB, rangeA, rangeB, merged, cweA?: number, cweB?: number) => {
    const a = makeFinding({ ruleId: ruleA, range: rangeA, cwe: cweA ?? null });
    const b = makeFinding({ ruleId: ruleB, range: rangeB, cwe: cweB ?? null, engines: [ruleB.split('/')[0] ?? ''] });
    expect(mergeFindings([b, a]).length).toBe(merged ? 1 : 2);
  });

  it('merges SARIF results by CWE and line, keeps the built-in identity and severity, and lists every engine', () => {
    const ours = makeFinding({ ruleId: 'js/no-eval', severity: 'critical', cwe: 95, range: at(5), fingerprint: 'ours' });
    const semgrep = makeFinding({ ruleId: 'semgrep/eval-detected', severity: 'high', cwe: 95, range: at(5), fingerprint: 'semgrep', engines: ['semgrep'], templateFix: { edits: [], safety: 'unsafe', template: 'x' } });
    const codeql = makeFinding({ ruleId: 'codeql/js/code-injection', severity: 'high', cwe: 95, range: at(5), fingerprint: 'codeql', engines: ['codeql'] });
    const [merged, ...rest] = mergeFindings([semgrep, codeql, ours]);
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({ ruleId: 'js/no-eval', fingerprint: 'ours', severity: 'critical', engines: ['roach', 'codeql', 'semgrep'] });
    expect(merged?.templateFix).toEqual(ours.templateFix ?? semgrep.templateFix);
  });

  it('never merges two findings of one engine: two evals on one line stay two', () => {
    const first = makeFinding({ ruleId: 'js/no-eval', range: at(2), fingerprint: 'a' });
    const second = makeFinding({ ruleId: 'js/no-eval', range: at(2), fingerprint: 'b' });
    const eslintFirst = makeFinding({ ruleId: 'eslint/no-eval', range: at(2), fingerprint: 'c', engines: ['eslint'] });
    const eslintSecond = makeFinding({ ruleId: 'eslint/no-eval', range: at(2), fingerprint: 'd', engines: ['eslint'] });
    const merged = mergeFindings([first, second, eslintFirst, eslintSecond]);
    expect(merged.map((f) => [f.fingerprint, f.engines])).toEqual([
      ['a', ['roach', 'eslint']],
      ['b', ['roach', 'eslint']],
    ]);
  });
});

/** js/no-eval is off by default (optIn): these projects switch it on, as a team reviewing every eval would. */
const ENABLE_EVAL = { '.roach.yml': 'rules:\n  enabled: [js/no-eval]\n' };
const APP = 'export function run(input) {\n  let total = 1;\n  return eval(input) + total;\n}\n';
const ESLINT_CONFIG = "export default [{ rules: { 'no-eval': 'error', 'prefer-const': 'error' } }];\n";
const SEMGREP = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'Semgrep OSS', rules: [{ id: 'javascript.lang.security.audit.eval-detected', properties: { tags: ['CWE-95: Eval Injection'] } }] } },
      results: [
        {
          ruleId: 'javascript.lang.security.audit.eval-detected',
          level: 'error',
          message: { text: 'Detected eval with a non-literal argument' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.js' }, region: { startLine: 3, startColumn: 10, endColumn: 21 } } }],
        },
      ],
    },
  ],
});

describe('a crawl with ESLint, a SARIF import and the built-in pack', () => {
  it('reports one finding for the eval that all three engines flag, and keeps it across an unchanged re-crawl', async () => {
    const root = await writeProject({ ...ENABLE_EVAL, 'eslint.config.js': ESLINT_CONFIG, 'package.json': '{"type":"module"}', 'src/app.js': APP, 'semgrep.sarif': SEMGREP });
    const report = await crawlDir(root, { adapters: 'eslint', importSarif: [path.join(root, 'semgrep.sarif')], fix: false });
    const evals = report.findings.filter((f) => f.file === 'src/app.js' && f.range.startLine === 2);
    expect(evals.map((f) => [f.ruleId, f.engines])).toEqual([['js/no-eval', ['roach', 'eslint', 'semgrep']]]);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['eslint/prefer-const', 'js/no-eval']);
    expect(report.adapters?.map((a) => [a.adapter, a.status, a.findings])).toEqual([
      ['eslint', 'ran', 2],
      ['sarif:semgrep.sarif', 'ran', 1],
    ]);

    const json = toJsonReport(report);
    expect(json.findings.find((f) => f.ruleId === 'js/no-eval')?.engines).toEqual(['roach', 'eslint', 'semgrep']);
    expect(json.adapters?.map((a) => a.adapter)).toEqual(['eslint', 'sarif:semgrep.sarif']);
    const sarif = toSarif(report, '0.0.0');
    expect(sarif.runs[0]?.results.find((r) => r.ruleId === 'js/no-eval')?.properties?.engines).toEqual(['roach', 'eslint', 'semgrep']);

    // Unchanged files are not re-linted: adapters skip, the stored engines stay, nothing resolves.
    const again = await crawlDir(root, { adapters: 'eslint', importSarif: [path.join(root, 'semgrep.sarif')], fix: false });
    expect(again.files).toMatchObject({ analyzed: 0, unchanged: 4 });
    expect(again.adapters?.[0]).toMatchObject({ adapter: 'eslint', status: 'skipped' });
    expect(again.resolvedIssues).toBe(0);
    expect(again.findings.find((f) => f.ruleId === 'js/no-eval')?.engines).toEqual(['roach', 'eslint', 'semgrep']);
  });

  it('reports a broken ESLint config and a malformed SARIF file per adapter, and the crawl goes on', async () => {
    const root = await writeProject({ ...ENABLE_EVAL, 'eslint.config.js': "import nope from 'eslint-plugin-nope';\nexport default [nope];\n", 'src/app.js': APP, 'bad.sarif': '{"version":"2.1.0"}', 'semgrep.sarif': SEMGREP });
    const report = await crawlDir(root, { adapters: 'eslint,oxlint', importSarif: [path.join(root, 'bad.sarif'), path.join(root, 'semgrep.sarif')], fix: false });
    const status = new Map(report.adapters?.map((a) => [a.adapter, a]));
    expect(status.get('eslint')).toMatchObject({ status: 'failed', findings: 0 });
    expect(status.get('eslint')?.detail).toMatch(/eslint-plugin-nope/);
    expect(status.get('sarif:bad.sarif')).toMatchObject({ status: 'failed' });
    expect(status.get('sarif:bad.sarif')?.detail).toMatch(/bad\.sarif is not valid SARIF 2\.1\.0: runs: /);
    expect(status.get('oxlint')).toMatchObject({ status: 'ran' });
    expect(report.findings.find((f) => f.ruleId === 'js/no-eval')?.engines).toEqual(['roach', 'oxlint', 'semgrep']);
  });

  it('keeps the issues of an adapter that failed open: a tool that did not run resolves nothing', async () => {
    const root = await writeProject({ ...ENABLE_EVAL, 'eslint.config.js': ESLINT_CONFIG, 'src/app.js': APP });
    const first = await crawlDir(root, { adapters: 'eslint', fix: false });
    expect(first.findings.map((f) => f.ruleId).sort()).toEqual(['eslint/prefer-const', 'js/no-eval']);
    await writeFile(path.join(root, 'src/app.js'), `${APP}// touched\n`);
    await writeFile(path.join(root, 'eslint.config.js'), "import broken from 'eslint-plugin-missing';\nexport default [broken];\n");
    const second = await crawlDir(root, { adapters: 'eslint', fix: false });
    expect(second.adapters?.[0]).toMatchObject({ adapter: 'eslint', status: 'failed' });
    expect(second.resolvedIssues).toBe(0);
    expect(second.findings.map((f) => f.ruleId).sort()).toEqual(['eslint/prefer-const', 'js/no-eval']);
    // Once ESLint runs again and no longer reports it, the issue is resolved as usual.
    await writeFile(path.join(root, 'eslint.config.js'), "export default [{ rules: { 'no-eval': 'error' } }];\n");
    await writeFile(path.join(root, 'src/app.js'), `${APP}// touched again\n`);
    const third = await crawlDir(root, { adapters: 'eslint', fix: false });
    expect(third.resolvedIssues).toBe(1);
    expect(third.findings.map((f) => f.ruleId)).toEqual(['js/no-eval']);
  });

  it('adds nothing and reports no adapters when none is configured', async () => {
    const root = await writeProject({ ...ENABLE_EVAL, 'eslint.config.js': ESLINT_CONFIG, 'src/app.js': APP });
    const report = await crawlDir(root, { fix: false });
    expect(report.adapters).toBeUndefined();
    expect(report.findings.map((f) => [f.ruleId, f.engines])).toEqual([['js/no-eval', undefined]]);
  });
});
