import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/domain/errors.js';
import { cleanupTemp, roach } from '../helpers/project.js';
import { writeProject } from './adapter-project.js';

afterEach(cleanupTemp);

const APP = 'export function run(input) {\n  debugger;\n  return eval(input);\n}\n';
const CODEQL = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'CodeQL', semanticVersion: '2.19.0', rules: [{ id: 'js/code-injection', properties: { tags: ['security', 'external/cwe/cwe-094', 'external/cwe/cwe-095'], 'security-severity': '9.3' } }] } },
      originalUriBaseIds: { '%SRCROOT%': {} },
      results: [
        {
          ruleId: 'js/code-injection',
          ruleIndex: 0,
          message: { text: 'This code execution depends on a user-provided value.' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.js', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 15, endColumn: 20 } } }],
        },
      ],
    },
  ],
});

describe('roach crawl with analyzer adapters (built CLI)', () => {
  it('--adapters oxlint and --import-sarif (twice, one malformed): merged findings in JSON, per-adapter status, exit 0', async () => {
    // js/no-eval is off by default (optIn): this project switches it on.
    const root = await writeProject({ 'src/app.js': APP, '.roach.yml': 'rules:\n  enabled: [js/no-eval]\n' });
    await writeFile(path.join(root, 'codeql.sarif'), CODEQL);
    await writeFile(path.join(root, 'broken.sarif'), '{"version": "2.1.0", "runs": [{"tool": {}}]}');
    const result = await roach(['crawl', root, '--no-fix', '--format', 'json', '--adapters', 'oxlint', '--import-sarif', path.join(root, 'codeql.sarif'), '--import-sarif', path.join(root, 'broken.sarif')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; engines?: string[] }[]; adapters: { adapter: string; status: string; detail: string }[] };
    expect(report.findings.map((f) => [f.ruleId, f.engines])).toEqual([
      ['js/no-eval', ['roach', 'oxlint', 'codeql']],
      ['js/no-debugger', ['roach', 'oxlint']],
    ]);
    expect(report.adapters.map((a) => [a.adapter, a.status])).toEqual([
      ['oxlint', 'ran'],
      ['sarif:codeql.sarif', 'ran'],
      ['sarif:broken.sarif', 'failed'],
    ]);
    expect(report.adapters[2]?.detail).toMatch(/broken\.sarif is not valid SARIF 2\.1\.0: runs\.0\.tool\.driver: /);
  });

  it('refuses an unknown adapter name with a usage error', async () => {
    // js/no-eval is off by default (optIn): this project switches it on.
    const root = await writeProject({ 'src/app.js': APP, '.roach.yml': 'rules:\n  enabled: [js/no-eval]\n' });
    const result = await roach(['crawl', root, '--adapters', 'eslint,pylint']);
    expect(result.code).toBe(ERROR_CATALOGUE.CR_ERR_USAGE.exit);
    expect(result.stderr).toMatch(/--adapters: unknown adapter "pylint"/);
  });

  it('reads adapters from .roach.yml and refuses a misspelt key there', async () => {
    const root = await writeProject({ 'src/app.js': APP, '.roach.yml': 'adapters:\n  oxlint:\n    enabled: true\n    categories: [correctness]\n' });
    const ok = await roach(['crawl', root, '--no-fix', '--format', 'json']);
    expect((JSON.parse(ok.stdout) as { adapters: { adapter: string }[] }).adapters.map((a) => a.adapter)).toEqual(['oxlint']);
    const typo = await writeProject({ 'src/app.js': APP, '.roach.yml': 'adapters:\n  oxlint:\n    enabled: true\n    categorys: [correctness]\n' });
    const bad = await roach(['crawl', typo, '--no-fix']);
    expect(bad.code).toBe(ERROR_CATALOGUE.CR_ERR_CONFIG_INVALID.exit);
    expect(bad.stderr).toMatch(/adapters\.oxlint\.categorys: unknown key/);
  });
});
