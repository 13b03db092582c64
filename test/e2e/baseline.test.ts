import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, copyFixture, roach, run } from '../helpers/project.js';

afterAll(cleanupTemp);

async function gitRepo(): Promise<string> {
  const dir = await copyFixture('sample-app');
  const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '.');
  await git('commit', '-q', '-m', 'initial');
  return dir;
}

describe('baselines and changed files from git', () => {
  it('fails --fail-on only for issues new since the baseline, and marks each issue', async () => {
    const dir = await gitRepo();
    const clean = await roach(['crawl', dir, '--no-fix', '--no-progress', '--baseline', 'main', '--fail-on', 'medium', '--format', 'json']);
    // The planted issues all exist on main: nothing new, the gate passes although medium ones are open.
    expect(clean.code).toBe(0);
    const before = JSON.parse(clean.stdout);
    expect(before.openIssues.bySeverity.medium).toBeGreaterThan(0);
    expect(before.baseline).toMatchObject({ ref: 'main', newIssues: { total: 0 } });
    expect(before.findings.every((f: { baselineState: string }) => f.baselineState === 'existing')).toBe(true);

    await writeFile(path.join(dir, 'src', 'added.js'), 'export function run(code) {\n  return eval(code);\n}\n');
    const gated = await roach(['crawl', dir, '--no-fix', '--no-progress', '--baseline', 'main', '--fail-on', 'medium', '--format', 'sarif']);
    expect(gated.code).toBe(1);
    const results = JSON.parse(gated.stdout).runs[0].results as { ruleId: string; baselineState: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    const fresh = results.filter((r) => r.baselineState === 'new');
    expect(fresh.map((r) => `${r.locations[0]?.physicalLocation.artifactLocation.uri} ${r.ruleId}`)).toEqual(['src/added.js js/no-eval']);
    expect(results.filter((r) => r.baselineState === 'unchanged').length).toBe(before.findings.length);
  }, 60_000);

  it('--changed-since crawls only the files changed since the ref, leaving the others as they were', async () => {
    const dir = await gitRepo();
    expect((await roach(['crawl', dir, '--no-fix', '--no-progress'])).code).toBe(0);
    await appendFile(path.join(dir, 'src', 'stats.js'), '\nexport const twice = (x) => x * 2;\n');
    await writeFile(path.join(dir, 'src', 'new.js'), 'debugger;\n');
    const report = JSON.parse((await roach(['crawl', dir, '--no-fix', '--no-progress', '--changed-since', 'HEAD', '--format', 'json'])).stdout);
    expect(report.files).toMatchObject({ walked: 2, analyzed: 2, removed: 0 });
    expect(report.resolvedIssues).toBe(0);
    // Issues of files outside the change stay open and listed.
    expect(report.findings.some((f: { file: string }) => f.file === 'src/danger.js')).toBe(true);
    expect(report.findings.some((f: { file: string; ruleId: string }) => f.file === 'src/new.js' && f.ruleId === 'js/no-debugger')).toBe(true);
  }, 60_000);

  it('names the problem when the folder is not a git repository or the ref is unknown', async () => {
    const plain = await copyFixture('sample-app');
    const notGit = await roach(['crawl', plain, '--no-fix', '--baseline', 'main']);
    expect(notGit.code).toBe(2);
    expect(notGit.stderr).toMatch(/git .* failed in .*: .*not a git repository.*\[CR_ERR_GIT\]/i);
    const repo = await gitRepo();
    const unknown = await roach(['crawl', repo, '--no-fix', '--changed-since', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-branch.*\[CR_ERR_GIT\]/);
  }, 60_000);
});
