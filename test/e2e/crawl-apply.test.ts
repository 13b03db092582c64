import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/main/embedded-store.js';
import { approveFix, rejectFix, rollbackFix } from '../../src/fixes/fix-actions.js';
import { cleanupTemp, copyFixture, FIXTURES, run, tempDir } from '../helpers/project.js';
import { crawlDir, inProject } from '../helpers/crawl.js';

const SAMPLE = path.join(FIXTURES, 'sample-app');

async function sampleTestsPass(dir: string): Promise<boolean> {
  const result = await run(process.execPath, ['--test', 'test/'], { cwd: dir });
  return result.code === 0;
}

describe('roach crawl --apply on the sample app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('sample-app');
  });
  afterAll(cleanupTemp);

  it('detects the planted issues, applies the safe fixes, queues the unsafe ones', async () => {
    const report = await crawlDir(dir, { apply: true });
    // Issues fixed by this crawl are resolved already; the report lists what stays open.
    const rules = new Set([...report.findings.map((f) => `${f.file}:${f.ruleId}`), ...report.fixes.map((f) => `${f.file}:${f.ruleId}`)]);
    for (const expected of [
      'src/stats.js:js/no-debugger',
      'src/stats.js:js/no-compare-nan',
      'src/stats.js:js/no-prototype-builtins',
      'src/stats.js:js/no-extra-boolean-cast',
      'src/legacy.js:js/no-weak-hash',
      'src/legacy.js:js/eqeqeq',
      'src/legacy.js:js/no-var',
      'src/danger.js:js/no-eval',
      'src/danger.js:js/no-empty-catch',
    ]) {
      expect(rules, expected).toContain(expected);
    }
    expect(report.findings.filter((f) => f.file === 'src/clean.js')).toEqual([]);
    expect(report.findings.filter((f) => f.file === 'src/stats.js')).toEqual([]);
    expect(report.newlyAnalyzedFindings).toBe(9);

    const applied = report.fixes.filter((f) => f.decision === 'applied');
    const queued = report.fixes.filter((f) => f.decision === 'queued');
    expect(applied.map((f) => f.ruleId).sort()).toEqual(['js/no-compare-nan', 'js/no-debugger', 'js/no-extra-boolean-cast', 'js/no-prototype-builtins']);
    expect(applied.every((f) => f.safety === 'safe' && f.confidence >= 0.9)).toBe(true);
    expect(queued.map((f) => f.ruleId).sort()).toEqual(['js/eqeqeq', 'js/no-var', 'js/no-weak-hash']);
    expect(queued.every((f) => f.confidence < 0.9)).toBe(true);

    const stats = await readFile(path.join(dir, 'src/stats.js'), 'utf8');
    expect(stats).not.toContain('debugger');
    expect(stats).toContain('Number.isNaN(value)');
    expect(stats).toContain('Object.hasOwn(settings, name)');
    expect(stats).toContain('if (values.length)');
    // Unsafe fixes were not written.
    expect(await readFile(path.join(dir, 'src/legacy.js'), 'utf8')).toBe(await readFile(path.join(SAMPLE, 'src/legacy.js'), 'utf8'));
    expect(await sampleTestsPass(dir)).toBe(true);
  });

  it('re-crawls incrementally: only changed files are analyzed, fixed issues are resolved, nothing is queued twice', async () => {
    const report = await crawlDir(dir, { apply: true });
    expect(report.files.analyzed).toBe(1); // stats.js, rewritten by the fixes
    expect(report.files.unchanged).toBe(report.files.walked - 1);
    expect(report.findings.filter((f) => f.file === 'src/stats.js')).toEqual([]);
    expect(report.fixes).toEqual([]);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    expect(pending).toHaveLength(3);

    // Touching a file without changing it is caught by the content hash.
    const now = new Date();
    await utimes(path.join(dir, 'src/danger.js'), now, now);
    const touched = await crawlDir(dir);
    expect(touched.files.analyzed).toBe(0);
    expect(touched.files.unchanged).toBe(touched.files.walked);
  });

  it('review approves one pending fix and rejects another', async () => {
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    const eqeqeq = pending.find((f) => f.ruleId === 'js/eqeqeq');
    const md5 = pending.find((f) => f.ruleId === 'js/no-weak-hash');
    expect(eqeqeq?.diff).toContain('-  return id == 0;');
    expect(eqeqeq?.diff).toContain('+  return id === 0;');
    const approved = await inProject(dir, (deps) => approveFix(deps, eqeqeq?.id.slice(0, 8) ?? '', 'tester'));
    expect(approved.status).toBe('applied');
    expect(await readFile(path.join(dir, 'src/legacy.js'), 'utf8')).toContain('return id === 0;');
    const rejected = await inProject(dir, (deps) => rejectFix(deps, md5?.id ?? '', 'tester', 'changes digest length'));
    expect(rejected.status).toBe('rejected');
    await expect(inProject(dir, (deps) => approveFix(deps, md5?.id ?? '', 'tester'))).rejects.toMatchObject({ code: 'CR_ERR_FIX_STATE' });
    expect(await sampleTestsPass(dir)).toBe(true);
  });

  it('rolls back applied fixes byte for byte, refusing out of order', async () => {
    const applied = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['applied']));
    const inStats = applied.filter((f) => f.filePath === 'src/stats.js');
    expect(inStats).toHaveLength(4);
    // Applied in order; only the last write on a file can be undone first.
    const order = [...inStats].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || 0);
    const attempts = await Promise.allSettled(order.slice(0, -1).map((fix) => inProject(dir, (deps) => rollbackFix(deps, fix.id, 'tester'))));
    expect(attempts.every((a) => a.status === 'rejected')).toBe(true);
    for (const fix of [...order].reverse()) {
      await inProject(dir, (deps) => rollbackFix(deps, fix.id, 'tester'));
    }
    const original = await readFile(path.join(SAMPLE, 'src/stats.js'));
    expect(Buffer.compare(await readFile(path.join(dir, 'src/stats.js')), original)).toBe(0);
    await expect(inProject(dir, (deps) => rollbackFix(deps, order[0]?.id ?? '', 'tester'))).rejects.toMatchObject({ code: 'CR_ERR_FIX_STATE' });

    // A rolled-back issue is open again on the next crawl and no temp files were left behind.
    const report = await crawlDir(dir);
    expect(report.findings.filter((f) => f.file === 'src/stats.js').length).toBeGreaterThanOrEqual(4);
    const names = await readdir(path.join(dir, 'src'));
    expect(names.filter((n) => n.includes('.roach-tmp-'))).toEqual([]);
  });

  it('refuses to roll back a fix whose file was edited since', async () => {
    const fresh = await copyFixture('sample-app');
    const report = await crawlDir(fresh, { apply: true });
    const fix = report.fixes.find((f) => f.decision === 'applied');
    await writeFile(path.join(fresh, 'src/stats.js'), `${await readFile(path.join(fresh, 'src/stats.js'), 'utf8')}\n// edited by hand\n`);
    await expect(inProject(fresh, (deps) => rollbackFix(deps, fix?.fixId ?? '', 'tester'))).rejects.toMatchObject({ code: 'CR_ERR_FILE_CHANGED' });
    expect(await readFile(path.join(fresh, 'src/stats.js'), 'utf8')).toContain('// edited by hand');
  });
});

describe('the review queue across crawls', () => {
  afterAll(cleanupTemp);

  it('crawl --apply applies confident fixes queued by an earlier crawl without --apply', async () => {
    const dir = await copyFixture('sample-app');
    const first = await crawlDir(dir);
    expect(first.fixes.every((f) => f.decision === 'queued')).toBe(true);
    const second = await crawlDir(dir, { apply: true });
    expect(second.files.analyzed).toBe(0);
    expect(second.fixes.filter((f) => f.decision === 'applied').map((f) => f.ruleId).sort()).toEqual([
      'js/no-compare-nan',
      'js/no-debugger',
      'js/no-extra-boolean-cast',
      'js/no-prototype-builtins',
    ]);
    expect(await sampleTestsPass(dir)).toBe(true);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    expect(pending.map((f) => f.ruleId).sort()).toEqual(['js/eqeqeq', 'js/no-var', 'js/no-weak-hash']);
  });

  it('supersedes queued fixes of a file that changed, and proposes fresh ones', async () => {
    const dir = await copyFixture('sample-app');
    await crawlDir(dir);
    const file = path.join(dir, 'src/legacy.js');
    await writeFile(file, `// edited\n${await readFile(file, 'utf8')}`);
    const report = await crawlDir(dir);
    expect(report.fixes.filter((f) => f.file === 'src/legacy.js').map((f) => f.decision)).toEqual(['queued', 'queued', 'queued']);
    const superseded = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['superseded']));
    expect(superseded).toHaveLength(3);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    const fresh = pending.find((f) => f.ruleId === 'js/eqeqeq');
    await inProject(dir, (deps) => approveFix(deps, fresh?.id ?? '', 'tester'));
    expect(await readFile(file, 'utf8')).toContain('// edited\n');
    expect(await readFile(file, 'utf8')).toContain('return id === 0;');
  });
});

describe('approving several queued fixes of one file', () => {
  afterAll(cleanupTemp);

  it('rebases each onto the file as the previous approval left it, and rolls back in reverse', async () => {
    const dir = await copyFixture('sample-app');
    await crawlDir(dir);
    const original = await readFile(path.join(dir, 'src/stats.js'));
    const pending = (await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']))).filter((f) => f.filePath === 'src/stats.js');
    expect(pending).toHaveLength(4);
    for (const fix of pending) await inProject(dir, (deps) => approveFix(deps, fix.id, 'tester'));
    const fixed = await readFile(path.join(dir, 'src/stats.js'), 'utf8');
    expect(fixed).toContain('Number.isNaN(value)');
    expect(fixed).toContain('Object.hasOwn(settings, name)');
    expect(fixed).not.toContain('debugger');
    expect(await sampleTestsPass(dir)).toBe(true);
    for (const fix of [...pending].reverse()) await inProject(dir, (deps) => rollbackFix(deps, fix.id, 'tester'));
    expect(Buffer.compare(await readFile(path.join(dir, 'src/stats.js')), original)).toBe(0);
  });
});

describe('detect only', () => {
  afterAll(cleanupTemp);

  it('--no-fix reports issues and generates no fix', async () => {
    const dir = await copyFixture('sample-app');
    const report = await crawlDir(dir, { fix: false });
    expect(report.findings.length).toBeGreaterThanOrEqual(9);
    expect(report.fixes).toEqual([]);
    expect(await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending', 'applied']))).toEqual([]);
  });
});

describe('an issue that comes back after its fix', () => {
  afterAll(cleanupTemp);

  it('gets a fresh fix even though its fingerprint matches an applied one', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a.js');
    await writeFile(file, 'function f() {\n  debugger;\n  return 1;\n}\n');
    const first = await crawlDir(dir, { apply: true });
    expect(first.fixes.map((f) => f.decision)).toEqual(['applied']);
    await writeFile(file, 'function f() {\n  debugger;\n  return 2;\n}\n');
    const second = await crawlDir(dir, { apply: true });
    expect(second.fixes.map((f) => f.decision)).toEqual(['applied']);
    expect(await readFile(file, 'utf8')).toBe('function f() {\n  return 2;\n}\n');
  });
});

describe('file health', () => {
  afterAll(cleanupTemp);

  it('records every analyzed file per crawl, clean ones at 100', async () => {
    const dir = await copyFixture('sample-app');
    const report = await crawlDir(dir, { fix: false });
    // danger.js's eval is medium without a traced source (js/no-code-injection is the critical one).
    expect(report.worstFiles.map((f) => f.file)).toEqual(['src/stats.js', 'src/legacy.js', 'src/danger.js']);
    const opened = await openEmbeddedStore(path.join(dir, '.roach'));
    try {
      const rows = await opened.db.query<{ file_path: string; health_score: number; issue_count: number }>(
        'SELECT file_path, health_score, issue_count FROM code_roach_file_health WHERE crawl_id = $1 ORDER BY file_path',
        [report.crawlId],
      );
      // Text files are crawled too (secrets scan): the fixture's .roach.yml and package.json are clean files like any other.
      expect(rows.map((r) => r.file_path)).toEqual(['.roach.yml', 'package.json', 'src/clean.js', 'src/danger.js', 'src/legacy.js', 'src/stats.js', 'test/stats.test.js']);
      expect(rows.find((r) => r.file_path === 'src/clean.js')).toMatchObject({ health_score: 100, issue_count: 0 });
      expect(rows.find((r) => r.file_path === 'src/danger.js')?.health_score).toBeLessThan(80);
    } finally {
      await opened.close();
    }
  });
});
