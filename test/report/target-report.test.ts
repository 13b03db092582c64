import { describe, expect, it } from 'vitest';
import type { CrawlReport } from '../../src/crawl/crawl-report.js';
import { formatJson } from '../../src/report/json.js';
import type { JsonReport } from '../../src/report/json.js';
import { formatTerminal } from '../../src/report/terminal.js';

const NONE = { total: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, byCategory: { security: 0, bug: 0, performance: 0, maintainability: 0, style: 0 } };

function report(target: CrawlReport['target']): CrawlReport {
  return {
    crawlId: 'c1',
    root: '/p',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    files: { walked: 0, analyzed: 0, unchanged: 0, skipped: [], removed: 0 },
    findings: [],
    newlyAnalyzedFindings: 0,
    openIssues: NONE,
    resolvedIssues: 0,
    fixes: [],
    fixesDeclined: 0,
    worstFiles: [],
    rules: [],
    ...(target ? { target } : {}),
  };
}

const ES2018 = {
  edition: 'ES2018',
  source: '.eslintrc.json parserOptions.ecmaVersion',
  declared: [
    { edition: 'ES2018', source: '.eslintrc.json parserOptions.ecmaVersion' },
    { edition: 'ES2022', source: 'tsconfig.json compilerOptions.target' },
  ],
  rulesLeftOut: ['js/no-json-deep-clone'],
  fixesWithheld: [],
  fixesInOlderForm: ['js/no-prototype-builtins'],
};

describe('the target in reports', () => {
  it('shows the target, its source and what it changed in the terminal', () => {
    const text = formatTerminal(report(ES2018), { color: false });
    expect(text).toContain('Target: ES2018 (from .eslintrc.json parserOptions.ecmaVersion)');
    expect(text).toContain('rules left out: js/no-json-deep-clone');
    expect(text).toContain('fixes in older form: js/no-prototype-builtins');
    expect(text).not.toContain('fixes withheld');
    expect(formatTerminal(report({ ...ES2018, edition: null, source: null, declared: [], rulesLeftOut: [], fixesInOlderForm: [] }), { color: false })).toContain('Target: unknown (nothing declared: no restriction)');
    expect(formatTerminal(report(undefined), { color: false })).not.toContain('Target:');
  });

  it('puts the whole target in the JSON report, last', () => {
    const json = JSON.parse(formatJson(report(ES2018))) as JsonReport;
    expect(json.target).toEqual(ES2018);
    expect(Object.keys(json).at(-1)).toBe('target');
    expect((JSON.parse(formatJson(report(undefined))) as JsonReport).target).toBeUndefined();
  });
});
