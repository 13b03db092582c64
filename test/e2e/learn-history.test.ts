import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/engine/rules.js';
import { mineHistory } from '../../src/git/history.js';
import { approveFix } from '../../src/fixes/fix-actions.js';
import { runLearn } from '../../src/main/run-learn.js';
import { runRuleTests } from '../../src/engine/rule-tests.js';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { fixtureRepo } from '../helpers/git-repo.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const OPT_IN = 'rules:\n  enabled: [js/no-json-deep-clone]\n';

/** A small project whose authors replace JSON round-trip clones with structuredClone, one file per commit. */
async function cloningProject(): Promise<{ dir: string; shas: string[] }> {
  const dir = await tempDir('roach-history-');
  const repo = await fixtureRepo(dir);
  const shas = [
    await repo.commit('initial', {
      // js/no-json-deep-clone is opt-in (its findings were mostly deliberate round trips): switched on here
      '.roach.yml': OPT_IN,
      'src/state.js': 'export function snapshot(state) {\n  const copy = JSON.parse(JSON.stringify(state));\n  return copy;\n}\n',
      'src/config.js': 'export function load(config) {\n  return JSON.parse(JSON.stringify(config));\n}\n',
      'src/other.js': 'export const n = 1;\n',
    }),
    await repo.commit('state: clone with structuredClone', {
      'src/state.js': 'export function snapshot(state) {\n  const copy = structuredClone(state);\n  return copy;\n}\n',
    }),
    // The second fix comes with an unrelated edit in the same file and a change to another file.
    await repo.commit('config: structuredClone, and a doc comment', {
      'src/config.js': '/** Loads the config. */\nexport function load(config) {\n  return structuredClone(config);\n}\n',
      'src/other.js': 'export const n = 2;\n',
    }),
    await repo.commit('add a cache (not fixed yet)', {
      'src/cache.js': 'export function remember(entry) {\n  return JSON.parse(JSON.stringify(entry));\n}\n',
    }),
  ];
  return { dir, shas };
}

describe('mining history for fix templates', () => {
  it('finds the findings each commit fixed, in the files it touched only', async () => {
    const { dir, shas } = await cloningProject();
    const rules = await loadRules();
    const commits = await mineHistory({ root: dir, rules, mined: new Set(), maxCommits: 100, maxFileSizeBytes: 1_000_000 });
    expect(commits.map((c) => c.sha)).toEqual(shas);
    const fixed = commits.map((c) => c.examples.map((e) => [e.ruleId, e.before.slice(e.start, e.end)]));
    expect(fixed).toEqual([[], [['js/no-json-deep-clone', 'JSON.parse(JSON.stringify(state))']], [['js/no-json-deep-clone', 'JSON.parse(JSON.stringify(config))']], []]);
    const again = await mineHistory({ root: dir, rules, mined: new Set(shas.slice(0, 3)), maxCommits: 100, maxFileSizeBytes: 1_000_000 });
    expect(again.map((c) => c.sha)).toEqual([shas[3]]);
    const since = await mineHistory({ root: dir, rules, since: shas[1], mined: new Set(), maxCommits: 100, maxFileSizeBytes: 1_000_000 });
    expect(since.map((c) => c.sha)).toEqual(shas.slice(2));
  });

  it('learns the authors\' template, applies it to a new occurrence in review, and mines incrementally', async () => {
    const { dir } = await cloningProject();
    const first = await runLearn({ dir, dataDir: undefined, fromHistory: true, since: undefined, maxCommits: 500, exportDir: undefined });
    expect(first.minedCommits).toBe(4);
    expect(first.learning?.clusters.map((c) => [c.ruleId, c.template.pattern, c.template.rewrite, c.examples.length])).toEqual([
      ['js/no-json-deep-clone', 'JSON.parse(JSON.stringify($A))', 'structuredClone($A)', 2],
    ]);

    // The unseen occurrence in src/cache.js gets the learned fix (unsafe, so it waits for review).
    await crawlDir(dir);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    const reuse = pending.filter((fix) => fix.strategy === 'pattern-reuse');
    expect(reuse.map((fix) => [fix.filePath, fix.ruleId, fix.template])).toEqual([['src/cache.js', 'js/no-json-deep-clone', 'structuredClone($A)']]);
    await inProject(dir, (deps) => approveFix(deps, reuse[0]?.id ?? '', 'tester'));
    expect(await readFile(path.join(dir, 'src/cache.js'), 'utf8')).toBe('export function remember(entry) {\n  return structuredClone(entry);\n}\n');

    // History already mined is not mined again; the approval counts for the template.
    const second = await runLearn({ dir, dataDir: undefined, fromHistory: true, since: undefined, maxCommits: 500, exportDir: undefined });
    expect([second.minedCommits, second.skippedCommits, second.learning?.examples]).toEqual([0, 4, 0]);
    const templates = await inProject(dir, (deps) => deps.store.learnedTemplates(deps.project));
    expect(templates.map((t) => [t.source, t.exampleCount, t.successes, t.failures])).toEqual([['history', 2, 1, 0]]);
  });

  it('pairs a fix found today with one mined in an earlier run, re-reading that commit from git', async () => {
    const dir = await tempDir('roach-history-later-');
    const repo = await fixtureRepo(dir);
    await repo.commit('initial', {
      '.roach.yml': OPT_IN,
      'a.js': 'const x = JSON.parse(JSON.stringify(first));\n',
      'b.js': 'export function g(second) {\n  return JSON.parse(JSON.stringify(second));\n}\n',
    });
    await repo.commit('fix a', { 'a.js': 'const x = structuredClone(first);\n' });
    const settings = { dir, dataDir: undefined, fromHistory: true, since: undefined, maxCommits: 500, exportDir: undefined };
    const early = await runLearn(settings);
    expect([early.minedCommits, early.learning?.examples, early.learning?.clusters.length]).toEqual([2, 1, 0]);
    await repo.commit('fix b', { 'b.js': 'export function g(second) {\n  return structuredClone(second);\n}\n' });
    const later = await runLearn(settings);
    expect(later.minedCommits).toBe(1);
    expect(later.learning?.clusters.map((c) => [c.template.pattern, c.template.rewrite, c.examples.length])).toEqual([
      ['JSON.parse(JSON.stringify($A))', 'structuredClone($A)', 2],
    ]);
  });

  it('exports learned templates as rule files that pass `roach rules test`', async () => {
    const { dir } = await cloningProject();
    const out = path.join(await tempDir('roach-export-'), 'learned');
    const result = await runLearn({ dir, dataDir: undefined, fromHistory: true, since: undefined, maxCommits: 500, exportDir: out });
    expect(result.exported?.skipped).toEqual([]);
    expect((await readdir(out)).sort()).toEqual([expect.stringMatching(/^no-json-deep-clone-[0-9a-f]{8}\.test\.yml$/), expect.stringMatching(/^no-json-deep-clone-[0-9a-f]{8}\.yml$/)]);
    const set = await loadRules({ extraDirs: [out] });
    const learned = set.rules.filter((rule) => rule.definition.id.startsWith('learned/'));
    expect(learned.map((rule) => [rule.definition.rule, rule.definition.fix])).toEqual([
      [{ pattern: 'JSON.parse(JSON.stringify($A))' }, { template: 'structuredClone($A)', safety: 'unsafe' }],
    ]);
    const results = (await Promise.all(learned.map((rule) => runRuleTests(rule)))).flat();
    expect(results.map((r) => [r.kind, r.outcome])).toEqual([
      ['valid', 'Validated'],
      ['invalid', 'Validated'],
      ['doc.bad', 'Validated'],
      ['doc.good', 'Validated'],
    ]);
  });

  it('refuses a ref that does not exist, naming it', async () => {
    const { dir } = await cloningProject();
    await expect(runLearn({ dir, dataDir: undefined, fromHistory: true, since: 'no-such-ref', maxCommits: 500, exportDir: undefined })).rejects.toMatchObject({
      code: 'CR_ERR_GIT',
      message: expect.stringContaining('no-such-ref'),
    });
  });
});
