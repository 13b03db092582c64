import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyTestCodePolicy, DEFAULT_TEST_CODE_SETTINGS, inTestsLookup, loadCodeRoles } from '../../src/crawl/test-code.js';
import type { TestCodeSettings } from '../../src/crawl/test-code.js';
import type { Finding } from '../../src/domain/finding.js';
import { loadRules } from '../../src/engine/rules.js';
import { computeBaseline } from '../../src/crawl/baseline.js';
import { fixtureRepo } from '../helpers/git-repo.js';
import { cleanupTemp, tempDir, tempTree } from '../helpers/project.js';
import { crawlDir } from '../helpers/crawl.js';

afterAll(cleanupTemp);

const project = (files: Record<string, string>): Promise<string> => tempTree('roach-test-code-', files);

function walked(root: string, files: readonly string[]): { path: string; absolutePath: string; language: 'javascript' | 'text' }[] {
  return files.map((file) => ({ path: file, absolutePath: path.join(root, file), language: file.endsWith('.js') ? 'javascript' : 'text' }));
}

const settings = (over: Partial<TestCodeSettings>): TestCodeSettings => ({ ...DEFAULT_TEST_CODE_SETTINGS, ...over });

describe('loadCodeRoles', () => {
  const files = {
    'src/app.js': 'export const x = 1;\n',
    'test/app.test.js': 'export const y = 1;\n',
    'test/fixtures/a.js': 'export const z = 1;\n',
    'test-server.js': "const test = require('node:test');\n",
    'test-data.js': 'module.exports = [1, 2];\n',
    'qa/check.js': 'export const q = 1;\n',
    'src/testing/mock-server.js': 'export const m = 1;\n',
    'src/testing/test.js': "import test from 'node:test';\n",
  };

  it('classifies by the conventions, names that only suggest a test by their imports', async () => {
    const root = await project(files);
    const roles = await loadCodeRoles(root, walked(root, Object.keys(files)));
    expect(Object.fromEntries(roles)).toEqual({ 'test/app.test.js': 'test', 'test/fixtures/a.js': 'fixture', 'test-server.js': 'test', 'src/testing/test.js': 'test' });
  });

  it('adds the configured paths per role, and production patterns win over everything', async () => {
    const root = await project(files);
    const roles = await loadCodeRoles(root, walked(root, Object.keys(files)), settings({ paths: { test: [], fixture: [], example: ['qa/'], benchmark: [], script: [] }, production: ['src/testing/', 'test-server.js'] }));
    expect(Object.fromEntries(roles)).toEqual({ 'test/app.test.js': 'test', 'test/fixtures/a.js': 'fixture', 'qa/check.js': 'example' });
  });

  it('finds no role at all with policy: ignore', async () => {
    const root = await project(files);
    expect((await loadCodeRoles(root, walked(root, Object.keys(files)), settings({ policy: 'ignore' }))).size).toBe(0);
  });
});

const rules = await loadRules();
const found = (ruleId: string, file: string, severity: Finding['severity'], category: Finding['category'] = 'security'): Finding => ({ ruleId, file, severity, category }) as unknown as Finding;

describe('inTestsLookup', () => {
  const policyOf = inTestsLookup(rules);
  it.each([
    ['js/no-tls-verification-disabled', 'security', 'off'],
    ['js/no-unsafe-finally', 'bug', 'keep'],
    ['js/no-empty-catch', 'bug', 'off'],
    ['js/array-callback-return', 'bug', 'off'],
    ['js/no-self-compare', 'bug', 'keep'],
    ['secrets/github', 'security', 'keep'],
    ['secrets/database-url', 'security', 'off'],
    ['secrets/private-key', 'security', 'off'],
    ['secrets/twilio', 'security', 'low'],
    // adapters: the equivalent built-in rule's policy, else their category's default
    ['eslint/no-eval', 'security', 'off'],
    ['oxlint/eslint(no-unsafe-finally)', 'bug', 'keep'],
    ['semgrep/some-injection', 'security', 'low'],
    ['ts/2322', 'bug', 'keep'],
  ] as const)('%s is %s', (ruleId, category, policy) => {
    expect(policyOf(found(ruleId, 'test/a.js', 'high', category))).toBe(policy);
  });
});

describe('applyTestCodePolicy', () => {
  const roles = new Map([['test/a.js', 'test' as const], ['test/fixtures/b.js', 'fixture' as const]]);
  const findings = [
    found('js/no-tls-verification-disabled', 'test/a.js', 'high'),
    found('js/no-tls-verification-disabled', 'src/a.js', 'high'),
    found('js/no-unsafe-finally', 'test/a.js', 'high', 'bug'),
    found('js/no-empty-catch', 'test/a.js', 'medium', 'bug'),
    found('js/array-callback-return', 'test/a.js', 'high', 'bug'),
    found('js/getter-return', 'test/a.js', 'medium', 'bug'),
    found('js/no-dupe-keys', 'test/fixtures/b.js', 'high', 'bug'),
    found('secrets/github', 'test/fixtures/b.js', 'critical'),
  ];

  it('drops, lowers and keeps by policy; production findings are untouched', () => {
    const out = applyTestCodePolicy(findings, roles, inTestsLookup(rules));
    expect(out.map((f) => `${f.file} ${f.ruleId} ${f.severity} ${f.codeRole ?? '-'}`)).toEqual([
      'src/a.js js/no-tls-verification-disabled high -',
      'test/a.js js/no-unsafe-finally medium test',
      'test/a.js js/getter-return low test',
      'test/fixtures/b.js secrets/github critical fixture',
    ]);
    expect(out[0]).toBe(findings[1]);
    expect(applyTestCodePolicy(out, roles, inTestsLookup(rules))).toEqual(out);
  });
});

describe('a crawl of a project with tests, fixtures and examples', () => {
  const files = {
    'src/app.js': "function reset(user) {\n  const resetToken = Math.random().toString(36).slice(2);\n  user.token = resetToken;\n}\nmodule.exports = { reset };\n",
    'test/app.test.js': [
      "const https = require('node:https');",
      'const agent = new https.Agent({ rejectUnauthorized: false });',
      'const resetToken = Math.random().toString(36).slice(2);',
      'function load() {',
      '  try {',
      "    return JSON.parse('{}');",
      '  } finally {',
      '    return null;',
      '  }',
      '}',
      'try {',
      '  agent.destroy(resetToken, load);',
      '} catch (e) {}',
      '',
    ].join('\n'),
    'test/fixtures/dupe.js': 'module.exports = { a: 1, a: 2 };\n',
    'examples/run.js': 'const value = eval(process.argv[2]);\nconsole.log(value);\n',
  };
  // Off by default on real code's evidence (optIn): switched on where a test needs to see them.
  const ENABLE_OPT_IN = 'rules:\n  enabled: [js/no-empty-catch, js/no-eval]\n';
  const INTERESTING = new Set(['js/no-insecure-random', 'js/no-tls-verification-disabled', 'js/no-unsafe-finally', 'js/no-empty-catch', 'js/no-dupe-keys', 'js/no-eval']);
  const summary = (report: Awaited<ReturnType<typeof crawlDir>>): string[] =>
    report.findings
      .filter((f) => INTERESTING.has(f.ruleId))
      .map((f) => `${f.file}:${f.range.startLine + 1} ${f.ruleId} ${f.severity} ${f.codeRole ?? '-'}`)
      .sort();

  it('drops test noise, lowers what is low, keeps the real bug in a test marked as test code', async () => {
    const report = await crawlDir(await project(files), { fix: false });
    expect(summary(report)).toEqual([
      'src/app.js:2 js/no-insecure-random high -',
      'test/app.test.js:8 js/no-unsafe-finally medium test',
    ]);
  });

  it('reports everything as production code with tests.policy: ignore, and honours production patterns', async () => {
    const ignoring = await crawlDir(await project({ ...files, '.roach.yml': `tests:\n  policy: ignore\n${ENABLE_OPT_IN}` }), { fix: false });
    expect(summary(ignoring)).toEqual([
      'examples/run.js:1 js/no-eval medium -',
      'src/app.js:2 js/no-insecure-random high -',
      'test/app.test.js:13 js/no-empty-catch medium -',
      'test/app.test.js:2 js/no-tls-verification-disabled high -',
      'test/app.test.js:3 js/no-insecure-random high -',
      'test/app.test.js:8 js/no-unsafe-finally high -',
      'test/fixtures/dupe.js:1 js/no-dupe-keys high -',
    ]);
    const production = await crawlDir(await project({ ...files, '.roach.yml': `tests:\n  production: [examples/]\n${ENABLE_OPT_IN}` }), { fix: false });
    expect(summary(production)).toContain('examples/run.js:1 js/no-eval medium -');
  });
});

describe('developer scripts', () => {
  it('treats what package.json scripts run, a scripts/ folder, migrations and a top-level installer, as tooling: security findings follow inTests, bugs stay at most medium', async () => {
    const release = [
      "const { spawnSync } = require('node:child_process');",
      'function run(cmd) {',
      '  return spawnSync(cmd, { shell: true, stdio: "inherit" });',
      '}',
      'try {',
      '  run(process.env.CMD);',
      '} finally {',
      '  return;',
      '}',
      '',
    ].join('\n');
    const root = await project({
      'package.json': JSON.stringify({ main: 'tools/lib/shared.js', bin: { tool: 'bin/tool.js' }, scripts: { release: 'node tools/release.mjs && node tools/release-steps.mjs', site: 'node tools/site', 'start-server': 'node tools/server.js' } }),
      'app/db.js': release,
      'tools/server.js': release,
      // imported by a release script from its own folder: tooling too, unless the application imports it
      'tools/lib/publish.mjs': release,
      'tools/lib/shared.js': release,
      'tools/release-steps.mjs': "import './lib/publish.mjs';\nexport { x } from './lib/shared.js';\nimport('../app/db.js');\n",
      'tools/release.mjs': release,
      'tools/site.js': release,
      'scripts/publish.js': release,
      'bin/tool.js': release,
      'server/migrations/20240101-add-slug.js': release,
      'src/upgrades/1.5.0/flags.js': release,
      'install/web.js': release,
      'src/install/web.js': release,
      '.github/scripts/label.js': release,
      '.ci/publish.js': release,
    });
    const report = await crawlDir(root, { fix: false });
    const seen = report.findings.filter((f) => f.ruleId === 'js/no-spawn-shell' || f.ruleId === 'js/no-unsafe-finally').map((f) => `${f.file} ${f.ruleId} ${f.severity} ${f.codeRole ?? '-'}`);
    expect(seen.sort()).toEqual([
      '.ci/publish.js js/no-unsafe-finally medium script',
      '.github/scripts/label.js js/no-unsafe-finally medium script',
      'app/db.js js/no-spawn-shell high -',
      'app/db.js js/no-unsafe-finally high -',
      'bin/tool.js js/no-spawn-shell high -',
      'bin/tool.js js/no-unsafe-finally high -',
      'install/web.js js/no-unsafe-finally medium script',
      'scripts/publish.js js/no-unsafe-finally medium script',
      'server/migrations/20240101-add-slug.js js/no-unsafe-finally medium script',
      'src/install/web.js js/no-spawn-shell high -',
      'src/install/web.js js/no-unsafe-finally high -',
      'src/upgrades/1.5.0/flags.js js/no-unsafe-finally medium script',
      'tools/lib/publish.mjs js/no-unsafe-finally medium script',
      'tools/lib/shared.js js/no-spawn-shell high -',
      'tools/lib/shared.js js/no-unsafe-finally high -',
      'tools/release.mjs js/no-unsafe-finally medium script',
      'tools/server.js js/no-spawn-shell high -',
      'tools/server.js js/no-unsafe-finally high -',
      'tools/site.js js/no-unsafe-finally medium script',
    ]);
  });
});

describe('container health checks', () => {
  it("treats what a Dockerfile's HEALTHCHECK runs as tooling: TLS off towards the container's own port is no finding there", async () => {
    const tlsOff = 'package main\n\nfunc main() {\n\thttp.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}\n}\n';
    const envOff = 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\n';
    const root = await project({
      'docker/dockerfile': 'FROM node:20\nWORKDIR /app\nHEALTHCHECK --interval=60s --retries=5 CMD extra/healthcheck\n',
      Dockerfile: 'FROM node:20\nHEALTHCHECK CMD ["node", "/app/probes/ready.js"]\n',
      'extra/healthcheck.go': tlsOff,
      'probes/ready.js': envOff,
      'server/client.go': tlsOff,
      'server/boot.js': envOff,
    });
    const report = await crawlDir(root, { fix: false });
    const seen = report.findings.filter((f) => f.ruleId.includes('tls')).map((f) => `${f.file} ${f.ruleId}`);
    expect(seen.sort()).toEqual(['server/boot.js js/no-tls-env-override', 'server/client.go go/no-tls-verification-disabled']);
  });
});

describe('the baseline', () => {
  it('drops what the crawl drops in test code, so both sides compare the same findings', async () => {
    const repo = await fixtureRepo(await tempDir('roach-test-code-git-'));
    const tls = 'const agent = new https.Agent({ rejectUnauthorized: false });\n';
    await repo.commit('tls', { 'src/a.js': tls, 'test/a.test.js': tls });
    const common = { root: repo.dir, ref: 'HEAD', include: [], exclude: [], maxFileSizeBytes: 1_000_000, selection: {}, ruleIds: ['js/no-tls-verification-disabled'], threads: 1 };
    const plain = await computeBaseline({ ...common, cacheDir: await tempDir('roach-test-code-cache-') });
    const withPolicy = await computeBaseline({ ...common, cacheDir: await tempDir('roach-test-code-cache-'), testCode: { settings: DEFAULT_TEST_CODE_SETTINGS, rules } });
    // Other rules find the same in both files; only the test file's TLS finding is dropped.
    expect(plain.fingerprints.size - withPolicy.fingerprints.size).toBe(1);
  });
});
