import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineName, sarifImportAdapter } from '../../src/adapters/sarif-import.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { roachRejection } from '../helpers/errors.js';
import { cleanupTemp } from '../helpers/project.js';
import { adapterInput, writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

const APP = 'export function run(input) {\n  const data = JSON.parse(input);\n  return eval(data.code);\n}\n';

function log(results: unknown[], driver: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Semgrep OSS', semanticVersion: '1.90.0', rules: [{ id: 'eval-detected', properties: { tags: ['CWE-95: Eval Injection', 'security'], 'security-severity': '7.5' } }], ...driver } },
        results,
      },
    ],
  });
}

const EVAL_RESULT = {
  ruleId: 'eval-detected',
  level: 'error',
  message: { text: 'Detected eval() with a non-literal argument' },
  locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.js' }, region: { startLine: 3, startColumn: 10, endLine: 3, endColumn: 25 } } }],
  fixes: [
    {
      description: { text: 'use Function-free dispatch' },
      artifactChanges: [{ artifactLocation: { uri: 'src/app.js' }, replacements: [{ deletedRegion: { startLine: 3, startColumn: 10, endLine: 3, endColumn: 25 }, insertedContent: { text: 'handlers[data.code]()' } }] }],
    },
  ],
};

async function importLog(files: Record<string, string>, sarif: string, analyzed = ['src/app.js']) {
  const root = await writeProject({ 'src/app.js': APP, ...files });
  await writeFile(path.join(root, 'scan.sarif'), sarif);
  return { root, run: () => sarifImportAdapter(path.join(root, 'scan.sarif'), 'scan.sarif').run(adapterInput(root, analyzed)) };
}

describe('SARIF import', () => {
  it('maps results: engine-prefixed rule, CWE from tags, security-severity, region, and the fix (unsafe)', async () => {
    const { run } = await importLog({}, log([EVAL_RESULT]));
    const outcome = await run();
    expect(outcome.detail).toBe('semgrep 1.90.0: 1 result(s), 1 imported');
    const [finding] = outcome.findings;
    expect(finding).toMatchObject({ ruleId: 'semgrep/eval-detected', severity: 'high', category: 'security', cwe: 95, file: 'src/app.js', snippet: 'eval(data.code)', engines: ['semgrep'] });
    expect(finding?.range).toMatchObject({ startLine: 2, startColumn: 9, endLine: 2, endColumn: 24 });
    expect(finding?.templateFix?.safety).toBe('unsafe');
    expect(applyEdits(APP, finding?.templateFix?.edits ?? [])).toContain('  return handlers[data.code]();\n');
  });

  it('resolves %SRCROOT% and file: URIs, and refuses results outside the project', async () => {
    const root = await writeProject({ 'src/app.js': APP });
    const results = [
      { ...EVAL_RESULT, fixes: undefined, locations: [{ physicalLocation: { artifactLocation: { uri: 'app.js', uriBaseId: 'SRC' }, region: { startLine: 3 } } }] },
      { ...EVAL_RESULT, fixes: undefined, locations: [{ physicalLocation: { artifactLocation: { uri: '../../etc/passwd' }, region: { startLine: 1 } } }] },
      { ...EVAL_RESULT, fixes: undefined, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///etc/hosts' }, region: { startLine: 1 } } }] },
      { ...EVAL_RESULT, fixes: undefined, locations: [] },
    ];
    const sarif = JSON.parse(log(results)) as { runs: { originalUriBaseIds?: unknown }[] };
    const [firstRun] = sarif.runs;
    if (firstRun) firstRun.originalUriBaseIds = { SRC: { uri: `file://${root}/src/` } };
    await writeFile(path.join(root, 'scan.sarif'), JSON.stringify(sarif));
    const outcome = await sarifImportAdapter(path.join(root, 'scan.sarif'), 'scan.sarif').run(adapterInput(root, ['src/app.js']));
    expect(outcome.findings.map((f) => [f.file, f.range.startLine, f.snippet])).toEqual([['src/app.js', 2, '  return eval(data.code);']]);
    expect(outcome.detail).toMatch(/2 outside the project refused; 1 without a file location left out/);
  });

  it('leaves out results on files this crawl did not analyze', async () => {
    const { run } = await importLog({ 'src/other.js': APP }, log([{ ...EVAL_RESULT, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/other.js' }, region: { startLine: 3 } } }] }]));
    const outcome = await run();
    expect(outcome.findings).toEqual([]);
    expect(outcome.detail).toMatch(/1 on files not analyzed in this crawl/);
  });

  it.each([
    ['not JSON', '{"version": "2.1.0", "runs": [', /scan\.sarif is not JSON/],
    ['another SARIF version', JSON.stringify({ version: '2.0.0', runs: [] }), /not valid SARIF 2\.1\.0: version: must be "2\.1\.0"/],
    ['a result without a message', log([{ ...EVAL_RESULT, message: undefined }]), /runs\.0\.results\.0\.message: /],
    ['a region with a line 0', log([{ ...EVAL_RESULT, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.js' }, region: { startLine: 0 } } }] }]), /runs\.0\.results\.0\.locations\.0\.physicalLocation\.region\.startLine: /],
    ['a run without a tool name', JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), /runs\.0\.tool\.driver\.name: /],
  ])('refuses %s, naming the file and the JSON path', async (_case, sarif, message) => {
    const { run } = await importLog({}, sarif);
    const error = await roachRejection(run());
    expect(error.code).toBe('CR_ERR_ADAPTER_FAILED');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/scan\.sarif/);
  });

  it('names a SARIF file that does not exist', async () => {
    const root = await writeProject({ 'src/app.js': APP });
    const error = await roachRejection(sarifImportAdapter(path.join(root, 'missing.sarif'), 'missing.sarif').run(adapterInput(root, ['src/app.js'])));
    expect(error.message).toMatch(/cannot read .*missing\.sarif: ENOENT/);
  });

  it.each([
    ['Semgrep OSS', 'semgrep'],
    ['CodeQL', 'codeql'],
    ['ESLint', 'eslint'],
  ])('names the engine of driver %s as %s', (driver, engine) => {
    expect(engineName(driver)).toBe(engine);
  });
});
