import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRemote } from '../../src/git/remote.js';
import { analyzeFiles } from '../../src/crawl/analyze-file.js';
import { readProjectFile } from '../../src/io/project-file.js';
import { loadRules } from '../../src/engine/rules.js';
import { crawlDir } from '../helpers/crawl.js';

// Issue 20 point 5: a link inside a project (`src/passwd.js -> /etc/passwd`) made the crawl read the
// file outside; its fragments were stored as snippets and served by GET /issues?text=...
let base = '';
let outside = '';
const OUTSIDE_MARK = 'OUTSIDE_SECRET_MARK';

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'roach-symlinks-'));
  outside = path.join(base, 'outside');
  await mkdir(path.join(outside, 'lib'), { recursive: true });
  // Code the rules flag, so reading it would show up as issues quoting it.
  await writeFile(path.join(outside, 'passwd.js'), `if (${OUTSIDE_MARK} === NaN) throw new Error();\n`);
  await writeFile(path.join(outside, 'lib', 'leak.js'), `if ("${OUTSIDE_MARK}" === NaN) throw new Error();\n`);
  await writeFile(path.join(outside, '.env'), `AWS_SECRET_ACCESS_KEY=${OUTSIDE_MARK}\n`);
});
afterAll(() => rm(base, { recursive: true, force: true }));

async function project(name: string): Promise<string> {
  const dir = path.join(base, name);
  await mkdir(path.join(dir, 'src', 'real'), { recursive: true });
  await writeFile(path.join(dir, 'src', 'real', 'own.js'), 'if (own === NaN) throw new Error();\n');
  await symlink(path.join(outside, 'passwd.js'), path.join(dir, 'src', 'passwd.js'));
  await symlink(path.join(outside, 'lib'), path.join(dir, 'vendored'));
  await symlink(path.join(outside, '.env'), path.join(dir, '.env'));
  // Links inside the project keep working: the target is crawled under its own name.
  await symlink('real/own.js', path.join(dir, 'src', 'alias.js'));
  return dir;
}

function expectNothingFromOutside(report: Awaited<ReturnType<typeof crawlDir>>): void {
  expect(JSON.stringify(report.findings)).not.toContain(OUTSIDE_MARK);
  expect(report.findings.map((f) => f.file)).toContain('src/real/own.js');
  const skipped = Object.fromEntries(report.files.skipped.map((s) => [s.path, s.reason]));
  expect(skipped).toMatchObject({ 'src/passwd.js': 'symlink-outside-root', vendored: 'symlink-outside-root', '.env': 'symlink-outside-root' });
  expect(skipped['src/alias.js']).toBeUndefined();
}

describe('the crawl never reads outside its root', () => {
  it('skips links to files and folders outside a path project, with the reason', async () => {
    expectNothingFromOutside(await crawlDir(await project('path-project')));
  });

  it('does the same in a project cloned from a git repository', async () => {
    const source = await project('git-source');
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: source, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'links');
    const clone = await cloneRemote(`file://${source}`, null, path.join(base, 'clones'), { allowFile: true, outbound: { allow: [] } });
    expectNothingFromOutside(await crawlDir(clone));
  });

  it('refuses at read time a file that became a link out of the project after the walk', async () => {
    const dir = await mkdtemp(path.join(base, 'swap-'));
    const file = path.join(dir, 'a.js');
    await writeFile(file, 'eval(x);\n');
    const rules = await loadRules({ extraDirs: [], disabled: [] });
    const task = { path: 'a.js', absolutePath: file, language: 'javascript' as const, previousSha256: null };
    expect((await analyzeFiles([task], rules, null, dir))[0]).toMatchObject({ status: 'analyzed' });
    await unlink(file);
    await symlink(path.join(outside, 'passwd.js'), file);
    expect((await analyzeFiles([task], rules, null, dir))[0]).toMatchObject({ status: 'skipped', reason: 'symlink-outside-root' });
    // A folder on the path swapped for a link is caught too: the opened file's real location decides.
    await mkdir(path.join(dir, 'sub'));
    await rm(path.join(dir, 'sub'), { recursive: true });
    await symlink(outside, path.join(dir, 'sub'));
    await expect(readProjectFile(dir, path.join(dir, 'sub', 'passwd.js'))).rejects.toMatchObject({ reason: 'symlink-outside-root' });
  });
});
