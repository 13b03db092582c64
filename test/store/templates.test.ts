import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteBestTemplates } from '../../src/pipeline/learn-templates.js';
import type { NewFix, NewLearnedTemplate, PipelineStore, ProjectRef } from '../../src/pipeline/ports.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/sql.js';
import { evalFinding } from '../helpers/findings.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';

const pgReachable = await postgresAvailable();
const schema = uniqueSchema();

const backends: { name: string; open: () => Promise<Database>; skip: boolean }[] = [
  { name: 'PGlite', open: () => openPglite(null), skip: false },
  { name: 'PostgreSQL', open: () => openPostgres({ connectionString: POSTGRES_URL, schema }), skip: !pgReachable },
];

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

describe.each(backends)('learned templates on $name', ({ open, skip }) => {
  let db: Database;
  let store: PipelineStore;
  let project: ProjectRef;

  beforeAll(async () => {
    if (skip) return;
    db = await open();
    await migrate(db);
    store = createPipelineStore(db);
    project = await store.ensureProject('/repo/learn', 'learn');
  });
  afterAll(async () => {
    if (skip) return;
    await db.close();
    if (db.kind === 'postgres') await dropSchema(schema);
  });

  it.skipIf(skip)('stores templates once, keeping the larger example count', async () => {
    await store.saveLearnedTemplates(project, [template('JSON.parse($A)', 2), template('safeEval($A)', 3)]);
    await store.saveLearnedTemplates(project, [template('JSON.parse($A)', 4), template('safeEval($A)', 2)]);
    const stored = await store.learnedTemplates(project, [finding.patternFingerprint]);
    expect(stored.map((t) => [t.rewrite, t.exampleCount, t.metavariables, t.successes, t.failures])).toEqual([
      ['JSON.parse($A)', 4, ['A'], 0, 0],
      ['safeEval($A)', 3, ['A'], 0, 0],
    ]);
    expect(await store.learnedTemplates(project, ['other'])).toEqual([]);
  });

  it.skipIf(skip)('counts the outcomes of the pattern-reuse fixes that wrote a template', async () => {
    const crawl = await store.startCrawl(project, {});
    const ids = await store.upsertIssues(project, crawl, [finding]);
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
    const fixIds = await store.insertFixes(project, [fix('applied', 'safeEval($A)'), fix('applied', 'safeEval($A)'), fix('rejected', 'JSON.parse($A)'), fix('pending', 'JSON.parse($A)')]);
    // Outcomes as the fix actions record them (migration 0005); the pending fix has none yet.
    const outcomes: [string | undefined, string][] = [[fixIds[0], 'verified'], [fixIds[1], 'verified'], [fixIds[2], 'rejected']];
    for (const [fixId, outcome] of outcomes) {
      await db.query(
        `INSERT INTO code_roach_fix_outcomes (fix_id, organization_id, project_id, pattern_fingerprint, rule_id, strategy, safety, confidence, outcome, success)
         VALUES ($1, $2, $3, $4, $5, 'pattern-reuse', 'unsafe', 0.5, $6, $6 = 'verified')`,
        [fixId, project.organizationId, project.projectId, finding.patternFingerprint, finding.ruleId, outcome],
      );
    }
    const stored = await store.learnedTemplates(project);
    expect(stored.map((t) => [t.rewrite, t.successes, t.failures])).toEqual([
      ['JSON.parse($A)', 0, 1],
      ['safeEval($A)', 2, 0],
    ]);
  });

  it.skipIf(skip)('promotes a template to best fix, creating the pattern row when it was never crawled', async () => {
    const [first] = await store.learnedTemplates(project);
    if (!first) throw new Error('no template stored');
    await store.promoteLearnedTemplate(project, first);
    const stats = (await store.patternStats(project, [finding.patternFingerprint])).get(finding.patternFingerprint);
    expect(stats?.bestFix).toEqual({ template: 'JSON.parse($A)', safety: 'unsafe', match: 'eval($A)' });
  });

  it.skipIf(skip)('ranks competing templates by their record: the rejected one loses its place', async () => {
    const promoted = await promoteBestTemplates(store, project, [finding.patternFingerprint]);
    expect(promoted.map((t) => t.rewrite)).toEqual(['safeEval($A)']);
    const stats = (await store.patternStats(project, [finding.patternFingerprint])).get(finding.patternFingerprint);
    expect(stats?.bestFix).toEqual({ template: 'safeEval($A)', safety: 'unsafe', match: 'eval($A)' });
  });

  it.skipIf(skip)('remembers mined commits per project', async () => {
    await store.recordMinedCommits(project, [{ sha: 'a1', examples: 2 }, { sha: 'b2', examples: 0 }]);
    await store.recordMinedCommits(project, [{ sha: 'a1', examples: 2 }]);
    expect([...(await store.minedCommits(project))].sort()).toEqual(['a1', 'b2']);
    expect(await store.commitsWithExamples(project, 10)).toEqual(['a1']);
    const other = await store.ensureProject('/elsewhere/learn', 'learn');
    expect((await store.minedCommits(other)).size).toBe(0);
  });
});
