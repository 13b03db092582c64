import { describe, expect, it } from 'vitest';
import { promoteBestTemplates } from '../../src/learning/learn-templates.js';
import type { NewFix, NewLearnedTemplate } from '../../src/fixes/ports.js';
import { evalFinding } from '../helpers/findings.js';
import { storeBackends, useStore } from '../helpers/store-backends.js';

const backends = await storeBackends();

const finding = evalFinding('a.js', 1);
const template = (rewrite: string, exampleCount: number): NewLearnedTemplate => ({
  patternFingerprint: finding.patternFingerprint,
  ruleId: finding.ruleId,
  shape: finding.shape,
  language: 'javascript',
  pattern: 'eval($A)',
  rewrite,
  metavariables: ['A'],
  exampleCount,
  source: 'history',
});

describe.each(backends)('learned templates on $name', (backend) => {
  const { skip } = backend;
  const at = useStore(backend, '/repo/learn');

  it.skipIf(skip)('stores templates once, keeping the larger example count', async () => {
    await at.store.saveLearnedTemplates(at.project, [template('JSON.parse($A)', 2), template('safeEval($A)', 3)]);
    await at.store.saveLearnedTemplates(at.project, [template('JSON.parse($A)', 4), template('safeEval($A)', 2)]);
    const stored = await at.store.learnedTemplates(at.project, [finding.patternFingerprint]);
    expect(stored.map((t) => [t.rewrite, t.exampleCount, t.metavariables, t.successes, t.failures])).toEqual([
      ['JSON.parse($A)', 4, ['A'], 0, 0],
      ['safeEval($A)', 3, ['A'], 0, 0],
    ]);
    expect(await at.store.learnedTemplates(at.project, ['other'])).toEqual([]);
  });

  it.skipIf(skip)('counts the outcomes of the pattern-reuse fixes that wrote a template', async () => {
    const crawl = await at.store.startCrawl(at.project, {});
    const ids = await at.store.upsertIssues(at.project, crawl, [finding]);
    const fix = (status: NewFix['status'], rewrite: string): NewFix => ({
      issueId: ids.get(finding.fingerprint) ?? '',
      crawlId: crawl,
      ruleId: finding.ruleId,
      patternFingerprint: finding.patternFingerprint,
      strategy: 'pattern-reuse',
      safety: 'unsafe',
      edits: [],
      template: rewrite,
      diff: '',
      confidence: 0.5,
      validation: [],
      status,
      statusReason: null,
      files: [],
    });
    const fixIds = await at.store.insertFixes(at.project, [fix('applied', 'safeEval($A)'), fix('applied', 'safeEval($A)'), fix('rejected', 'JSON.parse($A)'), fix('pending', 'JSON.parse($A)')]);
    // Outcomes as the fix actions record them (migration 0005); the pending fix has none yet.
    const outcomes: [string | undefined, string][] = [[fixIds[0], 'verified'], [fixIds[1], 'verified'], [fixIds[2], 'rejected']];
    for (const [fixId, outcome] of outcomes) {
      await at.db.query(
        `INSERT INTO code_roach_fix_outcomes (fix_id, organization_id, project_id, pattern_fingerprint, rule_id, strategy, safety, confidence, outcome, success)
         VALUES ($1, $2, $3, $4, $5, 'pattern-reuse', 'unsafe', 0.5, $6, $6 = 'verified')`,
        [fixId, at.project.organizationId, at.project.projectId, finding.patternFingerprint, finding.ruleId, outcome],
      );
    }
    const stored = await at.store.learnedTemplates(at.project);
    expect(stored.map((t) => [t.rewrite, t.successes, t.failures])).toEqual([
      ['JSON.parse($A)', 0, 1],
      ['safeEval($A)', 2, 0],
    ]);
  });

  it.skipIf(skip)('promotes a template to best fix, creating the pattern row when it was never crawled', async () => {
    const [first] = await at.store.learnedTemplates(at.project);
    if (!first) throw new Error('no template stored');
    await at.store.promoteLearnedTemplate(at.project, first);
    const stats = (await at.store.patternStats(at.project, [finding.patternFingerprint])).get(finding.patternFingerprint);
    expect(stats?.bestFix).toEqual({ template: 'JSON.parse($A)', safety: 'unsafe', match: 'eval($A)' });
  });

  it.skipIf(skip)('ranks competing templates by their record: the rejected one loses its place', async () => {
    const promoted = await promoteBestTemplates(at.store, at.project, [finding.patternFingerprint]);
    expect(promoted.map((t) => t.rewrite)).toEqual(['safeEval($A)']);
    const stats = (await at.store.patternStats(at.project, [finding.patternFingerprint])).get(finding.patternFingerprint);
    expect(stats?.bestFix).toEqual({ template: 'safeEval($A)', safety: 'unsafe', match: 'eval($A)' });
  });

  it.skipIf(skip)('keeps templates to the project that taught them unless both projects share their learning', async () => {
    const other = await at.store.ensureProject('/repo/other', 'other');
    expect(await at.store.learnedTemplates(other)).toEqual([]);
    expect((await at.store.patternStats(other, [finding.patternFingerprint])).get(finding.patternFingerprint)?.bestFix ?? null).toBeNull();
    await at.store.setPatternSharing(at.project, true);
    await at.store.setPatternSharing(other, true);
    expect((await at.store.learnedTemplates(other)).map((t) => [t.rewrite, t.projectId])).toEqual([
      ['JSON.parse($A)', at.project.projectId],
      ['safeEval($A)', at.project.projectId],
    ]);
    expect((await at.store.patternStats(other, [finding.patternFingerprint])).get(finding.patternFingerprint)?.bestFix).toEqual({
      template: 'safeEval($A)',
      safety: 'unsafe',
      match: 'eval($A)',
    });
    await at.store.setPatternSharing(at.project, false);
    await at.store.setPatternSharing(other, false);
  });

  it.skipIf(skip)('remembers mined commits per project', async () => {
    await at.store.recordMinedCommits(at.project, [{ sha: 'a1', examples: 2 }, { sha: 'b2', examples: 0 }]);
    await at.store.recordMinedCommits(at.project, [{ sha: 'a1', examples: 2 }]);
    expect([...(await at.store.minedCommits(at.project))].sort()).toEqual(['a1', 'b2']);
    expect(await at.store.commitsWithExamples(at.project, 10)).toEqual(['a1']);
    const other = await at.store.ensureProject('/elsewhere/learn', 'learn');
    expect((await at.store.minedCommits(other)).size).toBe(0);
  });
});
