import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LearningReport } from '../../src/pipeline/ports.js';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, copyFixture, roach } from '../helpers/project.js';

/** Replaces `from` by `to` in a file, failing loudly if the text is not there. */
async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  expect(text, `${file} holds ${JSON.stringify(from)}`).toContain(from);
  await writeFile(file, text.replace(from, to));
}

const outcomesOf = (report: LearningReport): Record<string, number> =>
  Object.fromEntries(report.outcomes.map((o) => [`${o.strategy}:${o.outcome}`, o.count]));

describe('learning from what happens to applied fixes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('sample-app');
  });
  afterAll(cleanupTemp);

  it('records applied fixes as verified, then notices one changed back and one edited, once', async () => {
    const first = await crawlDir(dir, { apply: true });
    const applied = first.fixes.filter((f) => f.decision === 'applied');
    expect(applied.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['js/no-debugger', 'js/no-compare-nan']));
    let report = await inProject(dir, (deps) => deps.store.learningReport(deps.project, 50));
    expect(outcomesOf(report)).toEqual({ 'rule-template:verified': applied.length });

    const stats = path.join(dir, 'src/stats.js');
    // Someone puts the debugger statement back, and rewrites the hasOwnProperty call the fix produced.
    await edit(stats, 'export function isMissing(value) {\n', 'export function isMissing(value) {\n  debugger;\n');
    await edit(stats, 'Object.hasOwn(settings, name)', 'name in settings');
    await crawlDir(dir);
    report = await inProject(dir, (deps) => deps.store.learningReport(deps.project, 50));
    expect(outcomesOf(report)).toEqual({
      'rule-template:verified': applied.length - 2,
      'rule-template:reverted': 1,
      'rule-template:re_edited': 1,
    });
    expect(report.history.map((h) => h.detail).join('\n')).toMatch(/reverted after it was applied \(src\/stats\.js: .*\); replaces "applied and verified"/);

    // Judged once: a further change of the file records nothing new.
    await edit(stats, 'export function mean(values) {', 'export function mean(values) {\n  // touched');
    await crawlDir(dir);
    const again = await inProject(dir, (deps) => deps.store.learningReport(deps.project, 50));
    expect(outcomesOf(again)).toEqual(outcomesOf(report));
  });

  it('roach stats prints the same report as JSON, and as text with the calibration table', async () => {
    const json = await roach(['stats', '--json', '--project', dir]);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as LearningReport;
    expect(report.scope).toBe('project');
    expect(report.calibration.map((t) => t.strategy)).toEqual(['rule-template']);
    const table = report.calibration[0];
    expect(table?.total).toBe(report.outcomes.reduce((n, o) => n + o.count, 0));
    expect(table?.buckets[9]?.count).toBe(table?.total);

    const text = await roach(['stats', '--project', dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("Learning from this project's own outcomes.");
    expect(text.stdout).toMatch(/rule-template: \d+ decided fixes, ECE \d\.\d{3}, not applied yet/);
    expect(text.stdout).toContain('rule-template: re_edited 1, reverted 1, verified');

    const bad = await roach(['stats', '--project', dir, '--limit', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit must be a whole number');
  });
});
