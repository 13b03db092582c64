import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveFix } from '../../src/fixes/fix-actions.js';
import type { FixActionDeps } from '../../src/fixes/fix-actions.js';
import type { PipelineStore } from '../../src/crawl/ports.js';
import type { FixOutcomeKind } from '../../src/domain/pattern-learning.js';
import type { LearningReport } from '../../src/learning/ports.js';
import type { StoredFix } from '../../src/fixes/ports.js';
import { evalFinding } from '../helpers/findings.js';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, copyFixture, roach } from '../helpers/project.js';

/** Replaces `from` by `to` in a file, failing loudly if the text is not there. */
async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  expect(text, `${file} holds ${JSON.stringify(from)}`).toContain(from);
  await writeFile(file, text.replace(from, to));
}

/**
 * Records `count` outcomes of made-up rule-template fixes of one issue, as if earlier crawls and
 * reviews had decided them at `confidence`.
 */
async function scriptOutcomes(
  deps: FixActionDeps<PipelineStore>,
  target: { issueId: string; ruleId: string; patternFingerprint: string },
  count: number,
  kind: FixOutcomeKind,
  confidence: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const fixId = await deps.store.insertFix(deps.project, {
      ...target,
      crawlId: null,
      strategy: 'rule-template',
      safety: 'safe',
      edits: [],
      template: null,
      diff: '',
      confidence,
      validation: [],
      status: kind === 'verified' ? 'applied' : 'rejected',
      statusReason: 'scripted',
      files: [],
    });
    await deps.store.recordFixOutcomes(deps.project, [{ fixId, kind, detail: 'scripted' }]);
  }
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

describe('decisions that learn', () => {
  afterAll(cleanupTemp);

  it('stops auto-applying a deprecated pattern until a review approval restores it', async () => {
    const dir = await copyFixture('sample-app');
    await crawlDir(dir);
    const debuggerFix = await inProject(dir, async (deps) => {
      const pending = await deps.store.listFixes(deps.project, ['pending']);
      const fix = pending.find((f) => f.ruleId === 'js/no-debugger') as StoredFix;
      // Five failures of this pattern (rejections in review): bound 0.017 < 0.3, deprecated.
      await scriptOutcomes(deps, fix, 5, 'rejected', 0.9157);
      return fix;
    });
    // A new occurrence of the same pattern, in another file.
    await writeFile(path.join(dir, 'src/more.js'), 'export function pause() {\n  debugger;\n  return 1;\n}\n');
    // The failures lowered the pattern's confidence to 0.78; a threshold of 0.5 would still apply it.
    const report = await crawlDir(dir, { apply: true, threshold: '0.5' });
    const fresh = report.fixes.find((f) => f.ruleId === 'js/no-debugger' && f.file === 'src/more.js');
    expect(fresh).toMatchObject({ decision: 'queued', reason: 'pattern deprecated by its outcomes; a human approval restores it', confidence: 0.7795 });
    expect(report.fixes.some((f) => f.decision === 'applied' && f.ruleId !== 'js/no-debugger')).toBe(true);
    // The queued fix from the first crawl stays queued too, although its stored confidence passes.
    const stillPending = await inProject(dir, (deps) => deps.store.getFix(deps.project, debuggerFix.id));
    expect(stillPending?.status).toBe('pending');

    await inProject(dir, (deps) => approveFix(deps, fresh?.fixId ?? '', 'reviewer'));
    const after = await inProject(dir, async (deps) => ({
      stats: (await deps.store.patternStats(deps.project, [debuggerFix.patternFingerprint])).get(debuggerFix.patternFingerprint),
      report: await deps.store.learningReport(deps.project, 50),
    }));
    expect(after.stats).toMatchObject({ deprecated: false, successes: 1, failures: 5 });
    const events = after.report.history.filter((h) => h.fingerprint === debuggerFix.patternFingerprint).map((h) => `${h.event}: ${h.detail}`);
    expect(events.slice(0, 3)).toEqual([
      expect.stringMatching(/^outcome: fix \w{8} applied and verified \(approved by reviewer\)/),
      expect.stringMatching(/^restored: restored by reviewer: approved fix \w{8} in review$/),
      'deprecated: deprecated: lower bound 0.0174 < 0.3 after 5 outcomes; no longer auto-applied',
    ]);
  });

  it('maps confidence through the calibration table once a strategy has enough outcomes', async () => {
    const dir = await copyFixture('sample-app');
    // 30 earlier rule-template fixes scored 0.92 and all were rejected: the strategy is over-confident.
    await inProject(dir, async (deps) => {
      const crawlId = await deps.store.startCrawl(deps.project, {});
      const finding = evalFinding('elsewhere.js', 1, { shape: 'calibration history' });
      const issueId = (await deps.store.upsertIssues(deps.project, crawlId, [finding])).get(finding.fingerprint) ?? '';
      await scriptOutcomes(deps, { issueId, ruleId: finding.ruleId, patternFingerprint: finding.patternFingerprint }, 30, 'rejected', 0.92);
    });
    const report = await crawlDir(dir, { apply: true });
    const safe = report.fixes.filter((f) => f.strategy === 'rule-template' && f.safety === 'safe' && f.decision !== 'failed-validation');
    expect(safe.length).toBeGreaterThan(0);
    expect(safe.every((f) => f.decision === 'queued')).toBe(true);
    // A raw 0.9157 falls in the 0.9-1.0 bucket (30 fixes, 0 successes): (0 + 10 * 0.9157) / (30 + 10).
    expect(safe.map((f) => f.confidence)).toContain(0.2289);
  });
});
