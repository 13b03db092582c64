import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import type { CrawlReport, ReportedIssue } from '../../src/crawl/crawl-report.js';
import { formatJson } from '../../src/report/json.js';
import type { JsonReport } from '../../src/report/json.js';
import { formatSarif, toSarif } from '../../src/report/sarif.js';
import type { SarifLog } from '../../src/report/sarif.js';
import { formatTerminal } from '../../src/report/terminal.js';

const SCHEMA_PATH = fileURLToPath(
  new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url),
);
// ajv-draft-04 is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
// The rtm.5 schema has a language-tag pattern that is not a valid `u`-flag regex, hence `unicodeRegExp: false`.
const ajv = new AjvDraft04.default({ strict: false, allErrors: true, logger: false, unicodeRegExp: false });
const validateSarif = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

function expectValidSarif(log: unknown): void {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? [], ajv.errorsText(validateSarif.errors)).toEqual([]);
  expect(valid).toBe(true);
}

function range(startLine: number, startColumn: number, endLine: number, endColumn: number): ReportedIssue['range'] {
  return { startLine, startColumn, endLine, endColumn,  };
}

const evalFinding: ReportedIssue = {
  ruleId: 'js/no-eval',
  severity: 'critical',
  category: 'security',
  cwe: 95,
  message: '`eval()` runs a computed string as code: anyone who controls any part of it can run arbitrary JavaScript.',
  file: 'src/api/handler.js',
  range: range(11, 17, 11, 32),
  snippet: "eval('(' + body + ')')",
  fingerprint: 'a'.repeat(32),
  patternFingerprint: 'b'.repeat(32),
  fixable: false,
};

const debuggerFinding: ReportedIssue = {
  ruleId: 'js/no-debugger',
  severity: 'low',
  category: 'maintainability',
  cwe: null,
  message: '`debugger` statement left in code: it pauses execution whenever devtools are open.',
  file: 'src/ui/app.js',
  range: range(0, 0, 0, 9),
  snippet: 'debugger;',
  fingerprint: 'c'.repeat(32),
  patternFingerprint: 'd'.repeat(32),
  fixable: true,
};

const parseErrorFinding: ReportedIssue = {
  ruleId: 'parse-error',
  severity: 'medium',
  category: 'bug',
  cwe: null,
  message: 'File does not parse as javascript: unexpected syntax at 3:5 (1 syntax problem); rules ran on the recoverable parts only.',
  file: 'src/legacy/old file#1.js',
  // An empty (missing-node) range: start and end coincide.
  range: range(2, 4, 2, 4),
  snippet: '',
  fingerprint: 'e'.repeat(32),
  patternFingerprint: 'f'.repeat(32),
  fixable: false,
};

function makeReport(overrides: Partial<CrawlReport> = {}): CrawlReport {
  return {
    crawlId: '0b6a4c1e-3f2d-4c8e-9a51-7d2e1f0c9b33',
    root: '/home/dev/projects/shop',
    startedAt: '2025-03-14T09:26:53.000Z',
    durationMs: 4321,
    files: {
      walked: 120,
      analyzed: 37,
      unchanged: 80,
      removed: 1,
      skipped: [
        { path: 'vendor/huge.min.js', reason: 'too-large', detail: '2.4 MB > 1 MB' },
        { path: 'assets/logo.js', reason: 'binary', detail: 'NUL byte at offset 12' },
        { path: 'dist/bundle.js', reason: 'too-large', detail: '5.1 MB > 1 MB' },
      ],
    },
    findings: [debuggerFinding, parseErrorFinding, evalFinding],
    newlyAnalyzedFindings: 3,
    openIssues: {
      total: 3,
      bySeverity: { critical: 1, high: 0, medium: 1, low: 1 },
      byCategory: { security: 1, bug: 1, performance: 0, maintainability: 1, style: 0 },
    },
    resolvedIssues: 4,
    fixes: [
      {
        fixId: 'fix-1',
        ruleId: 'js/no-debugger',
        file: 'src/ui/app.js',
        line: 1,
        strategy: 'template',
        safety: 'safe',
        confidence: 0.97,
        decision: 'applied',
        reason: null,
      },
      {
        fixId: 'fix-2',
        ruleId: 'js/no-eval',
        file: 'src/api/handler.js',
        line: 12,
        strategy: 'learned',
        safety: 'unsafe',
        confidence: 0.72,
        decision: 'queued',
        reason: 'unsafe fix needs review',
      },
    ],
    fixesDeclined: 1,
    worstFiles: [
      { file: 'src/api/handler.js', healthScore: 62.5, issueCount: 1 },
      { file: 'src/legacy/old file#1.js', healthScore: 80, issueCount: 1 },
      { file: 'src/ui/app.js', healthScore: 95, issueCount: 1 },
    ],
    rules: [
      {
        id: 'js/no-debugger',
        severity: 'low',
        category: 'maintainability',
        cwe: null,
        message: debuggerFinding.message,
        rationale: 'A leftover debugger statement stops production code in any browser with devtools open.',
        hasFix: true,
      },
      {
        id: 'js/no-eval',
        severity: 'critical',
        category: 'security',
        cwe: 95,
        message: evalFinding.message,
        rationale: 'eval() compiles and runs its argument with the caller’s privileges.',
        hasFix: false,
      },
    ],
    ...overrides,
  };
}

const emptyReport = makeReport({
  findings: [],
  newlyAnalyzedFindings: 0,
  openIssues: {
    total: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    byCategory: { security: 0, bug: 0, performance: 0, maintainability: 0, style: 0 },
  },
  fixes: [],
  fixesDeclined: 0,
  worstFiles: [],
  rules: [],
  files: { walked: 0, analyzed: 0, unchanged: 0, removed: 0, skipped: [] },
});

describe('formatTerminal', () => {
  const plain = formatTerminal(makeReport(), { color: false });

  it('summarises files, with skipped files grouped by reason', () => {
    expect(plain).toContain('120 walked, 37 analyzed, 80 unchanged, 3 skipped, 1 removed');
    expect(plain).toContain('Skipped by reason: binary 1, too-large 2');
    expect(plain).toContain('assets/logo.js  binary (NUL byte at offset 12)');
    expect(plain).toContain('dist/bundle.js  too-large (5.1 MB > 1 MB)');
  });

  it('counts open issues by severity and category', () => {
    expect(plain).toContain('Open issues: 3');
    expect(plain).toContain('critical 1, high 0, medium 1, low 1');
    expect(plain).toContain('By category: security 1, bug 1, maintainability 1');
  });

  it('lists findings 1-based, worst severity first', () => {
    const lines = plain.split('\n');
    const evalLine = lines.findIndex((line) => line.includes('src/api/handler.js:12:18  critical  js/no-eval  `eval()`'));
    const parseLine = lines.findIndex((line) => line.includes('src/legacy/old file#1.js:3:5  medium    parse-error  File does'));
    const debuggerLine = lines.findIndex((line) => line.includes('src/ui/app.js:1:1  low       js/no-debugger'));
    expect(evalLine).toBeGreaterThan(-1);
    expect(parseLine).toBeGreaterThan(evalLine);
    expect(debuggerLine).toBeGreaterThan(parseLine);
  });

  it('reports resolved issues, fix outcomes, worst files and duration', () => {
    expect(plain).toContain('Resolved issues: 4');
    expect(plain).toContain(
      '1 applied, 1 queued for review, 0 failed validation, 0 failed apply, 0 skipped (overlap), 1 declined (no fix)',
    );
    expect(plain).toMatch(/62\.5 {2}src\/api\/handler\.js {2}\(1 issue\)/);
    expect(plain).toContain('took 4.3 s');
    expect(plain.endsWith('\n')).toBe(true);
  });

  it('emits ANSI escapes only when asked to', () => {
    expect(plain).not.toContain('\u001b');
    expect(formatTerminal(makeReport(), { color: true })).toContain('\u001b[31m');
  });

  it('neutralises control characters coming from the crawled tree', () => {
    const hostile = { ...evalFinding, file: 'evil\u001b]0;pwned\u0007.js', message: 'two\nlines' };
    const text = formatTerminal(makeReport({ findings: [hostile] }), { color: false });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('two lines');
  });

  it('caps the skipped and findings listings', () => {
    const skipped = Array.from({ length: 14 }, (_, i) => ({
      path: `big/${String(i).padStart(2, '0')}.js`,
      reason: 'too-large' as const,
      detail: '',
    }));
    const findings = Array.from({ length: 60 }, (_, i) => ({ ...debuggerFinding, range: range(i, 0, i, 9) }));
    const text = formatTerminal(makeReport({ findings, files: { ...makeReport().files, skipped } }), { color: false });
    expect(text).toContain('… and 4 more');
    expect(text).toContain('Findings (first 50 of 60):');
    expect(text.match(/src\/ui\/app\.js:\d+:1 {2}low/g)).toHaveLength(50);
  });

  it('handles an empty crawl', () => {
    const text = formatTerminal(emptyReport, { color: false });
    expect(text).toContain('Open issues: 0');
    expect(text).toContain('By category: none');
    expect(text).not.toContain('Findings');
  });
});

describe('formatJson', () => {
  const text = formatJson(makeReport());
  const json = JSON.parse(text) as JsonReport;

  it('is pretty-printed with a trailing newline', () => {
    expect(text.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('has the documented top-level shape', () => {
    expect(Object.keys(json)).toEqual([
      'schemaVersion',
      'crawlId',
      'root',
      'startedAt',
      'durationMs',
      'files',
      'openIssues',
      'resolvedIssues',
      'findings',
      'fixes',
      'fixesDeclined',
      'worstFiles',
    ]);
    expect(json.files.skipped).toHaveLength(3);
    expect(json.fixes.map((fix) => fix.decision)).toEqual(['applied', 'queued']);
  });

  it("carries the project's decisions: the ESLint configuration read and one note per convention", () => {
    const decisions = {
      eslintConfig: { file: 'eslint.config.js', rulesOff: [{ rule: 'js/radix', eslintRule: 'radix' }] },
      conventions: [{ rule: 'js/no-var', violating: 400, conforming: 3, message: 'The project writes this consistently the other way' }],
    };
    const report = makeReport({ decisions });
    expect((JSON.parse(formatJson(report)) as JsonReport).decisions).toEqual(decisions);
    const terminal = formatTerminal(report, { color: false });
    expect(terminal).toContain("The project's decisions:");
    expect(terminal).toContain('eslint.config.js turns off: js/radix (radix)');
    expect(terminal).toContain('convention  js/no-var  The project writes this consistently the other way');
  });

  it('reports 1-based positions and hides engine internals', () => {
    const evalJson = json.findings.find((finding) => finding.ruleId === 'js/no-eval');
    expect(evalJson).toEqual({
      ruleId: 'js/no-eval',
      severity: 'critical',
      category: 'security',
      cwe: 95,
      message: evalFinding.message,
      file: 'src/api/handler.js',
      line: 12,
      column: 18,
      endLine: 12,
      endColumn: 33,
      snippet: evalFinding.snippet,
      fingerprint: evalFinding.fingerprint,
      patternFingerprint: evalFinding.patternFingerprint,
      fixable: false,
    });
    expect(json.findings.find((finding) => finding.ruleId === 'js/no-debugger')?.fixable).toBe(true);
    expect(text).not.toContain('bindings');
    expect(text).not.toContain('templateFix');
  });
});

describe('toSarif', () => {
  const log = toSarif(makeReport(), '0.1.0');
  const run = log.runs[0];

  it('validates against the SARIF 2.1.0 schema', () => {
    expectValidSarif(log);
    expectValidSarif(JSON.parse(formatSarif(makeReport(), '0.1.0')));
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
  });

  it("gives a result the fix queued for it: its replacements and the reason (a generated fix's explanation)", () => {
    const base = makeReport();
    const queued = {
      ...base.fixes[1],
      explanation: 'The handler parsed JSON with eval; JSON.parse reads data without running it.',
      replacements: [{ file: 'src/api/handler.js', startLine: 12, startColumn: 18, endLine: 12, endColumn: 33, text: 'JSON.parse(body)' }],
    } as CrawlReport['fixes'][number];
    const withFix = toSarif({ ...base, fixes: [base.fixes[0], queued] as CrawlReport['fixes'] }, '0.1.0');
    expectValidSarif(withFix);
    const result = withFix.runs[0]?.results.find((r) => r.ruleId === 'js/no-eval');
    expect(result?.fixes).toEqual([
      {
        description: { text: 'The handler parsed JSON with eval; JSON.parse reads data without running it.' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'src/api/handler.js', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 12, startColumn: 18, endLine: 12, endColumn: 33 }, insertedContent: { text: 'JSON.parse(body)' } }],
          },
        ],
      },
    ]);
    // a result without a queued fix (the applied debugger fix) carries none
    expect(withFix.runs[0]?.results.find((r) => r.ruleId === 'js/no-debugger')?.fixes).toBeUndefined();
  });

  it('describes the tool, the source root and the invocation', () => {
    expect(run?.tool.driver).toMatchObject({
      name: 'Code Roach',
      informationUri: 'https://github.com/code-roach/code-roach',
      semanticVersion: '0.1.0',
    });
    expect(run?.originalUriBaseIds['%SRCROOT%']?.uri).toBe('file:///home/dev/projects/shop/');
    expect(run?.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('tags security rules for GitHub code scanning', () => {
    const rule = run?.tool.driver.rules.find((r) => r.id === 'js/no-eval');
    expect(rule?.name).toBe('JsNoEval');
    expect(rule?.shortDescription.text).toBe(evalFinding.message);
    expect(rule?.fullDescription.text).toContain('caller’s privileges');
    expect(rule?.defaultConfiguration.level).toBe('error');
    expect(rule?.properties.tags).toEqual(['security', 'external/cwe/cwe-95']);
    expect(rule?.properties.precision).toBe('high');
    expect(rule?.properties['security-severity']).toBe('9.5');

    const debuggerRule = run?.tool.driver.rules.find((r) => r.id === 'js/no-debugger');
    expect(debuggerRule?.properties.tags).toEqual(['maintainability']);
    expect(debuggerRule?.properties['security-severity']).toBeUndefined();
    expect(debuggerRule?.defaultConfiguration.level).toBe('note');
  });

  it('adds a synthetic rule for findings without rule metadata', () => {
    const rule = run?.tool.driver.rules.find((r) => r.id === 'parse-error');
    expect(rule?.name).toBe('ParseError');
    expect(rule?.defaultConfiguration.level).toBe('warning');
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(['js/no-debugger', 'js/no-eval', 'parse-error']);
  });

  it('points every result at its rule by index', () => {
    expect(run?.results).toHaveLength(3);
    for (const result of run?.results ?? []) {
      expect(run?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
  });

  it('locates results with 1-based regions and relative URIs', () => {
    const evalResult = run?.results.find((result) => result.ruleId === 'js/no-eval');
    expect(evalResult?.level).toBe('error');
    expect(evalResult?.message.text).toBe(evalFinding.message);
    expect(evalResult?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/api/handler.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 18, endLine: 12, endColumn: 33 },
    });
    const parseResult = run?.results.find((result) => result.ruleId === 'parse-error');
    expect(parseResult?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('src/legacy/old%20file%231.js');
    expect(parseResult?.locations[0]?.physicalLocation.region).toEqual({
      startLine: 3,
      startColumn: 5,
      endLine: 3,
      endColumn: 5,
    });
    const debuggerResult = run?.results.find((result) => result.ruleId === 'js/no-debugger');
    expect(debuggerResult?.locations[0]?.physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 10,
    });
  });

  it('carries both fingerprints so alerts survive moved lines', () => {
    const evalResult = run?.results.find((result) => result.ruleId === 'js/no-eval');
    expect(evalResult?.partialFingerprints).toEqual({
      'codeRoach/v1': evalFinding.fingerprint,
      'codeRoachPattern/v1': evalFinding.patternFingerprint,
    });
  });

  it('yields a valid log with no results for a clean crawl', () => {
    const empty: SarifLog = toSarif(emptyReport, '0.1.0');
    expectValidSarif(empty);
    expect(empty.runs[0]?.results).toEqual([]);
    expect(empty.runs[0]?.tool.driver.rules).toEqual([]);
    expectValidSarif(JSON.parse(formatSarif(emptyReport, '0.1.0')));
  });

  it('rejects an invalid log (the validator is live)', () => {
    const broken = JSON.parse(formatSarif(makeReport(), '0.1.0')) as {
      runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    const first = broken.runs[0]?.results[0]?.locations[0];
    if (first) first.physicalLocation.region.startLine = 0;
    expect(validateSarif(broken)).toBe(false);
  });
});

describe('taint traces in reports', () => {
  const traced: ReportedIssue = {
    ...evalFinding,
    ruleId: 'js/no-sql-injection',
    message: 'SQL text is built from untrusted data. Untrusted data from req.query.id (line 3) via q (line 5).',
    range: range(6, 2, 6, 20),
    trace: { source: { label: 'req.query.id', line: 2, column: 12 }, steps: [{ label: 'q', line: 4, column: 8 }] },
  };
  const report = makeReport({ findings: [traced, debuggerFinding] });

  it('writes the path to JSON with 1-based positions, and only for traced findings', () => {
    const json = JSON.parse(formatJson(report)) as JsonReport;
    const [withTrace, without] = json.findings;
    expect(withTrace?.trace).toEqual({ source: { label: 'req.query.id', line: 3, column: 13 }, steps: [{ label: 'q', line: 5, column: 9 }] });
    expect(without).not.toHaveProperty('trace');
  });

  it('shows the path under the finding in the terminal', () => {
    const text = formatTerminal(report, { color: false });
    expect(text).toContain('path: req.query.id (3) -> q (5) -> sink');
  });

  it('gives SARIF results a code flow from source to sink that validates against the schema', () => {
    const log = toSarif(report, '0.1.0');
    expectValidSarif(JSON.parse(formatSarif(report, '0.1.0')));
    const result = log.runs[0]?.results.find((r) => r.ruleId === 'js/no-sql-injection');
    const locations = result?.codeFlows?.[0]?.threadFlows[0]?.locations.map((l) => [l.location.message.text, l.location.physicalLocation.region.startLine]);
    expect(locations).toEqual([
      ['source: req.query.id', 3],
      ['q', 5],
      ['sink', 7],
    ]);
    expect(log.runs[0]?.results.find((r) => r.ruleId === 'js/no-debugger')).not.toHaveProperty('codeFlows');
  });
});

describe('test-code roles in reports', () => {
  const inTest: ReportedIssue = { ...evalFinding, file: 'test/handler.test.js', severity: 'low', fingerprint: 'e'.repeat(32), codeRole: 'test' };
  const report = makeReport({ findings: [evalFinding, inTest] });

  it('JSON gives codeRole only to findings in test, fixture, example or benchmark code', () => {
    const json = JSON.parse(formatJson(report)) as JsonReport;
    expect(json.findings.map((f) => [f.file, f.codeRole])).toEqual([
      ['src/api/handler.js', undefined],
      ['test/handler.test.js', 'test'],
    ]);
  });

  it('SARIF carries it as a result property, valid against the schema', () => {
    const log = toSarif(report, '0.1.0');
    expectValidSarif(log);
    expect(log.runs[0]?.results.map((r) => r.properties)).toEqual([undefined, { codeRole: 'test' }]);
  });

  it('the terminal tags the finding and counts such findings', () => {
    const text = formatTerminal(report, { color: false });
    expect(text).toMatch(/test\/handler\.test\.js:12:18 +low +\[test\] +js\/no-eval/);
    expect(text).toContain('In test, example or benchmark code: 1');
    expect(formatTerminal(makeReport({ findings: [evalFinding] }), { color: false })).not.toContain('In test, example');
  });
});
