import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/main/embedded-store.js';
import { cleanupTemp, copyFixture, roach, tempDir } from '../helpers/project.js';
import { sarifValidator } from '../helpers/sarif-schema.js';

afterAll(cleanupTemp);

describe('roach CLI', () => {
  it('crawls with --format json and --fail-on, keeping reports on stdout and exit codes for CI', async () => {
    const dir = await copyFixture('sample-app');
    const json = await roach(['crawl', dir, '--format', 'json', '--no-progress']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; line: number }[]; files: { walked: number } };
    expect(report.files.walked).toBe(7); // 5 source files, package.json and .roach.yml (text files: scanned for secrets only)
    expect(report.findings.some((f) => f.ruleId === 'js/no-eval')).toBe(true);

    // The second crawl re-analyzes nothing, yet the gate still sees the open medium issues (eval, ==).
    const gate = await roach(['crawl', dir, '--fail-on', 'medium', '--format', 'json']);
    expect(gate.code).toBe(1);
    const again = JSON.parse(gate.stdout) as { files: { analyzed: number }; findings: { ruleId: string }[] };
    expect(again.files.analyzed).toBe(0);
    expect(again.findings.map((f) => f.ruleId).sort()).toEqual(report.findings.map((f) => f.ruleId).sort());
    const low = await roach(['crawl', dir, '--fail-on', 'low', '--format', 'json']);
    expect(low.code).toBe(1);
  });

  it('writes SARIF 2.1.0 that validates against the official schema', async () => {
    const dir = await copyFixture('sample-app');
    const result = await roach(['crawl', dir, '--format', 'sarif']);
    expect(result.code).toBe(0);
    const validate = sarifValidator();
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string }[]; tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } } }[] };
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const evalRule = sarif.runs[0]?.tool.driver.rules.find((r) => r.id === 'js/no-eval');
    expect(evalRule?.properties.tags).toEqual(expect.arrayContaining(['security', 'external/cwe/cwe-95']));
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(5);
  });

  it.each([
    { name: 'a missing directory', args: (d: string) => ['crawl', path.join(d, 'nope')], code: 2, message: /No such directory/ },
    { name: 'a file instead of a directory', args: (d: string) => ['crawl', path.join(d, 'file.js')], code: 2, message: /is a file/ },
    { name: 'a bad --format', args: (d: string) => ['crawl', d, '--format', 'xml'], code: 2, message: /--format must be/ },
    { name: 'a bad --fail-on', args: (d: string) => ['crawl', d, '--fail-on', 'urgent'], code: 2, message: /--fail-on must be/ },
    { name: '--apply with --no-fix', args: (d: string) => ['crawl', d, '--apply', '--no-fix'], code: 2, message: /contradict/ },
    { name: 'a bad --threshold', args: (d: string) => ['crawl', d, '--threshold', '2'], code: 2, message: /--threshold must be/ },
    { name: 'an unknown fix id', args: (d: string) => ['rollback', 'deadbeef', '--dir', d], code: 4, message: /No fix deadbeef/ },
  ])('fails clearly on $name', async ({ args, code, message }) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file.js'), 'debugger;\n');
    const result = await roach(args(dir));
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names the field of a malformed config file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, '.roach.yml'), 'fix:\n  threshold: high\nexclud: [x]\n');
    const result = await roach(['crawl', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.roach.yml');
    expect(result.stderr).toContain('fix.threshold');
    expect(result.stderr).toMatch(/exclud/);
  });

  it('skips a malformed custom rule, naming its file and field, and crawls with the rest', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'rules'));
    await writeFile(path.join(dir, 'rules', 'bad.yml'), 'id: custom/bad\nlanguages: [javascript]\nseverity: urgent\ncategory: bug\nmessage: m\ndoc: {rationale: r, bad: b, good: g}\nrule: {pattern: foo()}\n');
    await writeFile(path.join(dir, 'rules', 'cobol.yml'), 'id: custom/cobol\nlanguages: [cobol]\nseverity: low\ncategory: bug\nmessage: m\ndoc: {rationale: r, bad: b, good: g}\nrule: {pattern: foo()}\n');
    await writeFile(path.join(dir, 'rules', 'good.yml'), 'id: custom/no-foo\nlanguages: [javascript]\nseverity: low\ncategory: bug\nmessage: no foo\ndoc: {rationale: r, bad: b, good: g}\nrule: {pattern: foo()}\n');
    await writeFile(path.join(dir, '.roach.yml'), 'rules:\n  dirs: [rules]\n');
    await writeFile(path.join(dir, 'a.js'), 'foo();\ndebugger;\n');
    const result = await roach(['crawl', dir, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(path.join(dir, 'rules', 'bad.yml'));
    expect(result.stderr).toContain('severity');
    expect(result.stderr).toContain(path.join(dir, 'rules', 'cobol.yml'));
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[]; ruleProblems: { file: string }[] };
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['custom/no-foo', 'js/no-debugger']);
    expect(report.ruleProblems.map((p) => path.basename(p.file)).sort()).toEqual(['bad.yml', 'cobol.yml']);
  });

  it('reports binary, invalid UTF-8, huge and syntax-error files without crashing', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'bin.js'), Buffer.from([0x61, 0x00, 0x62]));
    await writeFile(path.join(dir, 'latin1.js'), Buffer.from([0x76, 0x61, 0x72, 0x20, 0xe9, 0x3b]));
    await writeFile(path.join(dir, 'huge.js'), `// ${'x'.repeat(2_000_000)}\n`);
    await writeFile(path.join(dir, 'broken.ts'), 'function f( {\n  return 1;\n');
    await writeFile(path.join(dir, 'ok.js'), 'debugger;\n');
    await writeFile(path.join(dir, 'bundle.js'), `${'var a=1;'.repeat(4000)}\n`);
    const result = await roach(['crawl', dir, '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { skipped: { path: string; reason: string }[] }; findings: { file: string; ruleId: string }[] };
    const reasons = Object.fromEntries(report.files.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({ 'bin.js': 'binary', 'latin1.js': 'invalid-utf8', 'huge.js': 'too-large', 'bundle.js': 'minified' });
    expect(report.findings.map((f) => `${f.file}:${f.ruleId}`).sort()).toEqual(['broken.ts:parse-error', 'ok.js:js/no-debugger']);
  });

  it('refuses a data directory locked by another running process, losing nothing', async () => {
    const dir = await copyFixture('sample-app');
    const first = await roach(['crawl', dir, '--format', 'json']);
    expect(first.code).toBe(0);
    const held = await openEmbeddedStore(path.join(dir, '.roach'));
    try {
      const second = await roach(['crawl', dir]);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/in use by another running roach process/);
    } finally {
      await held.close();
    }
    const after = await roach(['review', 'list', '--dir', dir, '--json']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  it('keeps going when a file cannot be read', async () => {
    if (process.getuid?.() === 0) {
      // Root reads everything: simulate with a dangling symlink instead, which is also unreadable.
      const dir = await tempDir();
      const { symlink } = await import('node:fs/promises');
      await symlink(path.join(dir, 'missing-target.js'), path.join(dir, 'dangling.js'));
      await writeFile(path.join(dir, 'ok.js'), 'debugger;\n');
      const result = await roach(['crawl', dir, '--format', 'json']);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { files: { skipped: { path: string; reason: string }[] } };
      expect(report.files.skipped).toEqual([expect.objectContaining({ path: 'dangling.js', reason: 'broken-symlink' })]);
      return;
    }
    const dir = await tempDir();
    await writeFile(path.join(dir, 'secret.js'), 'debugger;\n');
    await chmod(path.join(dir, 'secret.js'), 0);
    const result = await roach(['crawl', dir, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('unreadable');
  });
});
