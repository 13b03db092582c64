import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, roach, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

describe('worker-thread analysis', () => {
  it('finds the same issues on a pool of threads as in one thread', async () => {
    const dir = await tempDir();
    // The opt-in rule switched on; 150 direct hasOwnProperty calls would read as the project's convention (one
    // note, no findings): enforce it.
    await writeFile(path.join(dir, '.roach.yml'), 'rules:\n  enabled: [js/no-prototype-builtins]\nrespect:\n  enforce: [js/no-prototype-builtins]\n');
    for (let i = 0; i < 150; i++) {
      await writeFile(path.join(dir, `f${i}.${i % 3 === 0 ? 'ts' : 'js'}`), `export function f${i}(x) {\n  if (x === NaN) { debugger; }\n  return x.hasOwnProperty('k');\n}\n`);
    }
    // Findings only: generating and validating 450 fixes per crawl, never looked at here, took minutes.
    const pooled = await crawlDir(dir, { threads: '2', dataDir: path.join(dir, '.roach-a'), fix: false });
    const single = await crawlDir(dir, { threads: '1', dataDir: path.join(dir, '.roach-b'), fix: false });
    // the 150 sources and .roach.yml (scanned for secrets)
    expect(pooled.files.analyzed).toBe(151);
    const key = (r: typeof pooled): string[] => r.findings.map((f) => `${f.file}:${f.range.startLine}:${f.ruleId}:${f.fingerprint}`).sort();
    expect(key(pooled)).toEqual(key(single));
    expect(pooled.findings).toHaveLength(450);
  });
});

describe('pattern reuse strategy', () => {
  it('offers a stored pattern best fix for a rule that has no template of its own', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'config.js');
    // js/no-eval is opt-in; this team has switched it on.
    await writeFile(path.join(dir, '.roach.yml'), 'rules:\n  enabled: [js/no-eval]\n');
    await writeFile(file, 'export function load(text) {\n  return eval(text);\n}\n');
    const first = await crawlDir(dir);
    const issue = first.findings.find((f) => f.ruleId === 'js/no-eval');
    expect(issue).toBeDefined();
    expect(first.fixes).toEqual([]);
    // As if a reviewer had taught Code Roach how this pattern is fixed in this codebase.
    await inProject(dir, (deps) => deps.store.setPatternBestFix(deps.project, issue?.patternFingerprint ?? '', { template: 'JSON.parse($CODE)', safety: 'unsafe' }));
    await writeFile(file, '// config loader\nexport function load(text) {\n  return eval(text);\n}\n');
    const second = await crawlDir(dir);
    expect(second.fixes).toEqual([expect.objectContaining({ ruleId: 'js/no-eval', strategy: 'pattern-reuse', decision: 'queued' })]);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    expect(pending[0]?.diff).toContain('+  return JSON.parse(text);');
  });
});

describe('review and rollback from the command line', () => {
  it('lists, shows as a diff, approves, rejects and rolls back', async () => {
    const dir = await tempDir();
    // Both rules are opt-in: a team migrating from ES5 switches them on.
    await writeFile(path.join(dir, '.roach.yml'), 'rules:\n  enabled: [js/eqeqeq, js/no-var]\n');
    await writeFile(path.join(dir, 'a.js'), 'var a = 1;\nexport const zero = (x) => x == 0;\nexport { a };\n');
    const crawl = await roach(['crawl', dir, '--apply', '--format', 'json']);
    expect(crawl.code, crawl.stderr).toBe(0);
    const list = await roach(['review', '--dir', dir]);
    expect(list.stdout).toMatch(/2 fix\(es\) waiting for review/);
    const ids = [...list.stdout.matchAll(/^([0-9a-f]{8})\s/gm)].map((m) => m[1] ?? '');
    expect(ids).toHaveLength(2);
    const pending = JSON.parse((await roach(['review', 'list', '--dir', dir, '--json'])).stdout) as { id: string; ruleId: string }[];
    const eq = pending.find((f) => f.ruleId === 'js/eqeqeq')?.id.slice(0, 8) ?? '';
    const vr = pending.find((f) => f.ruleId === 'js/no-var')?.id.slice(0, 8) ?? '';

    const show = await roach(['review', 'show', eq, '--dir', dir]);
    expect(show.stdout).toContain('--- a/a.js');
    expect(show.stdout).toContain('+export const zero = (x) => x === 0;');
    expect(show.stdout).toMatch(/passed\s+reparse/);

    expect((await roach(['review', 'approve', eq, '--dir', dir])).code).toBe(0);
    expect((await roach(['review', 'reject', vr, '--dir', dir, '--reason', 'scope'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'a.js'), 'utf8')).toBe('var a = 1;\nexport const zero = (x) => x === 0;\nexport { a };\n');
    const again = await roach(['review', 'approve', vr, '--dir', dir]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/rejected, not pending/);

    const rollback = await roach(['rollback', eq, '--dir', dir]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'a.js'), 'utf8')).toBe('var a = 1;\nexport const zero = (x) => x == 0;\nexport { a };\n');
  });
});
