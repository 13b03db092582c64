import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reliabilityTable, tallyOutcomes } from '../../src/domain/calibration.js';
import { betaLowerBound, fixConfidence, STRATEGY_PRIORS } from '../../src/domain/confidence.js';
import type { StrategyName } from '../../src/domain/confidence.js';
import type { Finding } from '../../src/domain/finding.js';
import type { FixOutcomeKind } from '../../src/domain/pattern-learning.js';
import { patternBound } from '../../src/domain/pattern-learning.js';
import type { PipelineStore } from '../../src/crawl/ports.js';
import type { ProjectRef } from '../../src/domain/project-ref.js';
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

describe.each(backends)('learning from outcomes on $name', ({ open, skip }) => {
  let db: Database;
  let store: PipelineStore;
  let serial = 0;

  /** A fresh pattern (own shape) with one issue; `fix` adds a fix of it and returns the fix id. */
  async function pattern(project: ProjectRef, label: string): Promise<{ finding: Finding; fix: (options?: FixOptions) => Promise<string> }> {
    const finding = evalFinding(`${label}.js`, 1, { shape: `eval ( $ID ) ${label}` });
    const crawl = await store.startCrawl(project, {});
    await store.recordPatternOccurrences(project, [finding]);
    const issueId = (await store.upsertIssues(project, crawl, [finding])).get(finding.fingerprint) ?? '';
    const fix = async (options: FixOptions = {}): Promise<string> => {
      serial += 1;
      const bytes = new TextEncoder().encode(`eval(x${serial});\n`);
      return store.insertFix(project, {
        issueId,
        crawlId: crawl,
        ruleId: finding.ruleId,
        patternFingerprint: finding.patternFingerprint,
        strategy: options.strategy ?? 'rule-template',
        safety: 'safe',
        edits: [{ file: `${label}.js`, start: 0, end: 4, text: 'JSON.parse' }],
        template: null,
        diff: '',
        confidence: options.confidence ?? 0.92,
        validation: [],
        status: options.status ?? 'applied',
        statusReason: null,
        files: [{ path: `${label}.js`, originalBytes: bytes, originalSha256: `sha-${serial}`, fixedSha256: `fixed-${serial}` }],
      });
    };
    return { finding, fix };
  }

  interface FixOptions {
    readonly strategy?: StrategyName;
    readonly confidence?: number;
    readonly status?: 'applied' | 'pending' | 'failed_validation';
  }

  const outcome = (project: ProjectRef, fixId: string, kind: FixOutcomeKind, detail: string | null = null): Promise<void> =>
    store.recordFixOutcomes(project, [{ fixId, kind, detail }]);

  async function history(project: ProjectRef, fingerprint: string): Promise<{ event: string; detail: string; successes: number; failures: number; lower_bound: number; project_id: string | null }[]> {
    return db.query(
      `SELECT event, detail, successes, failures, lower_bound, project_id FROM code_roach_pattern_history
       WHERE organization_id = $1 AND fingerprint = $2 ORDER BY id`,
      [project.organizationId, fingerprint],
    );
  }

  beforeAll(async () => {
    if (skip) return;
    db = await open();
    await migrate(db);
    store = createPipelineStore(db);
  });
  afterAll(async () => {
    if (skip) return;
    await db.close();
    if (db.kind === 'postgres') await dropSchema(schema);
  });

  it.skipIf(skip)('turns a scripted sequence of outcomes into exact counts, posterior and deprecation', async () => {
    const project = await store.ensureProject('/learn/script', 'script');
    const { finding, fix } = await pattern(project, 'script');
    const fp = finding.patternFingerprint;
    const script: [FixOutcomeKind, string | null][] = [
      ['verified', null],
      ['verified', null],
      ['failed_validation', 'reanalyze/re-analyze'],
      ['rejected', 'by ana: changes behaviour'],
    ];
    for (const [kind, detail] of script) await outcome(project, await fix(), kind, detail);

    let stats = (await store.patternStats(project, [fp])).get(fp);
    expect(stats).toMatchObject({ successes: 2, failures: 2, deprecated: false });
    expect(stats?.weightedSuccesses).toBeCloseTo(2, 6);
    expect(stats?.weightedFailures).toBeCloseTo(2, 6);
    // The decision uses the lower bound of Beta(40 + 2, 1 + 2) for a safe template fix.
    const decided = fixConfidence({ strategy: 'rule-template', safety: 'safe', successes: stats?.weightedSuccesses ?? 0, failures: stats?.weightedFailures ?? 0, validation: 'passed', changedLines: 1 });
    expect(decided).toBeCloseTo(betaLowerBound(STRATEGY_PRIORS['rule-template:safe'], 2, 2), 4);

    // The fifth outcome reaches the minimum attempts with a bound of 0.2009 < 0.3: deprecated.
    const fifth = await fix();
    await outcome(project, fifth, 'rolled_back', 'by ana');
    stats = (await store.patternStats(project, [fp])).get(fp);
    expect(stats).toMatchObject({ successes: 2, failures: 3, deprecated: true });

    const events = await history(project, fp);
    expect(events.map((e) => e.event)).toEqual(['outcome', 'outcome', 'outcome', 'outcome', 'outcome', 'deprecated']);
    expect(events.map((e) => [e.successes, e.failures])).toEqual([[1, 0], [2, 0], [2, 1], [2, 2], [2, 3], [2, 3]]);
    expect(events[2]?.detail).toContain('failed validation (reanalyze/re-analyze)');
    expect(events[3]?.detail).toContain('rejected in review (by ana: changes behaviour)');
    expect(events[5]?.detail).toBe('deprecated: lower bound 0.2009 < 0.3 after 5 outcomes; no longer auto-applied');
    expect(Number(events[5]?.lower_bound)).toBe(patternBound(2, 3));
    // Kept to the project: the organization's pool (pattern row) is untouched.
    expect(events.every((e) => e.project_id === project.projectId)).toBe(true);
    const [row] = await db.query<{ deprecated: boolean; success_count: number }>('SELECT deprecated, success_count FROM code_roach_patterns WHERE fingerprint = $1', [fp]);
    expect(row).toMatchObject({ deprecated: false, success_count: 0 });

    // A human approval restores it; one more failure does not strike again before 5 new outcomes.
    expect(await store.restorePattern(project, fp, 'ana', 'approved fix abc in review')).toBe(true);
    expect(await store.restorePattern(project, fp, 'ana', 'again')).toBe(false);
    expect((await store.patternStats(project, [fp])).get(fp)?.deprecated).toBe(false);
    await outcome(project, await fix(), 'failed_apply', 'disk full');
    stats = (await store.patternStats(project, [fp])).get(fp);
    expect(stats).toMatchObject({ successes: 2, failures: 4, deprecated: false });
    expect((await history(project, fp)).map((e) => e.event).slice(-2)).toEqual(['restored', 'outcome']);
  });

  it.skipIf(skip)('replaces a fix outcome once (a verified fix reverted later) and ignores a repeat', async () => {
    const project = await store.ensureProject('/learn/replace', 'replace');
    const { finding, fix } = await pattern(project, 'replace');
    const fp = finding.patternFingerprint;
    const id = await fix();
    await outcome(project, id, 'verified');
    expect(await store.appliedFixFiles(project, ['replace.js'])).toHaveLength(1);
    await outcome(project, id, 'reverted', 'replace.js: changed back');
    await outcome(project, id, 'reverted', 'replace.js: changed back');
    expect((await store.patternStats(project, [fp])).get(fp)).toMatchObject({ successes: 0, failures: 1 });
    const events = await history(project, fp);
    expect(events).toHaveLength(2);
    expect(events[1]?.detail).toContain('reverted after it was applied (replace.js: changed back); replaces "applied and verified"');
    // A reverted fix is not followed any more.
    expect(await store.appliedFixFiles(project, ['replace.js'])).toEqual([]);
    await expect(outcome(project, '00000000-0000-4000-8000-000000000000', 'verified')).rejects.toMatchObject({ code: 'CR_ERR_FIX_NOT_FOUND' });
  });

  it.skipIf(skip)('weighs an outcome half after one half-life', async () => {
    const project = await store.ensureProject('/learn/decay', 'decay');
    const { finding, fix } = await pattern(project, 'decay');
    const old = await fix();
    await outcome(project, old, 'verified');
    await outcome(project, await fix(), 'rejected');
    await db.query(`UPDATE code_roach_fix_outcomes SET recorded_at = now() - interval '90 days' WHERE fix_id = $1`, [old]);
    const stats = (await store.patternStats(project, [finding.patternFingerprint])).get(finding.patternFingerprint);
    expect(stats).toMatchObject({ successes: 1, failures: 1 });
    expect(stats?.weightedSuccesses).toBeCloseTo(0.5, 6);
    expect(stats?.weightedFailures).toBeCloseTo(1, 6);
  });

  it.skipIf(skip)('shares outcomes only between projects that opted in', async () => {
    const sharingA = await store.ensureProject('/learn/share-a', 'share-a');
    const sharingB = await store.ensureProject('/learn/share-b', 'share-b');
    const loner = await store.ensureProject('/learn/loner', 'loner');
    await store.setPatternSharing(sharingA, true);
    await store.setPatternSharing(sharingB, true);
    const inA = await pattern(sharingA, 'shared');
    const inLoner = await pattern(loner, 'shared');
    const fp = inA.finding.patternFingerprint;
    expect(inLoner.finding.patternFingerprint).toBe(fp);

    for (let i = 0; i < 3; i++) await outcome(sharingA, await inA.fix(), 'verified');
    await outcome(loner, await inLoner.fix(), 'rejected');

    expect((await store.patternStats(sharingB, [fp])).get(fp)).toMatchObject({ successes: 3, failures: 0 });
    expect((await store.patternStats(loner, [fp])).get(fp)).toMatchObject({ successes: 0, failures: 1 });
    const [row] = await db.query<{ success_count: number; failure_count: number; confidence: number }>(
      'SELECT success_count, failure_count, confidence FROM code_roach_patterns WHERE organization_id = $1 AND fingerprint = $2',
      [sharingA.organizationId, fp],
    );
    expect(row).toMatchObject({ success_count: 3, failure_count: 0 });
    expect(Number(row?.confidence)).toBe(patternBound(3, 0));

    // Opting out takes the project back to its own (empty) record.
    await store.setPatternSharing(sharingB, false);
    expect((await store.patternStats(sharingB, [fp])).get(fp)).toMatchObject({ successes: 0, failures: 0 });

    // A best fix taught in a sharing project reaches the other sharing projects only.
    await store.setPatternBestFix(sharingA, fp, { template: 'JSON.parse($ID)', safety: 'unsafe' });
    await store.setPatternSharing(sharingB, true);
    const taught = { template: 'JSON.parse($ID)', safety: 'unsafe' };
    expect((await store.patternStats(sharingA, [fp])).get(fp)?.bestFix).toEqual(taught);
    expect((await store.patternStats(sharingB, [fp])).get(fp)?.bestFix).toEqual(taught);
    expect((await store.patternStats(loner, [fp])).get(fp)?.bestFix).toBeNull();
    // And one taught in a project that keeps to itself stays there.
    await store.setPatternBestFix(loner, fp, { template: 'safeEval($ID)', safety: 'unsafe' });
    expect((await store.patternStats(loner, [fp])).get(fp)?.bestFix).toEqual({ template: 'safeEval($ID)', safety: 'unsafe' });
    expect((await store.patternStats(sharingB, [fp])).get(fp)?.bestFix).toBeNull();
  });

  it.skipIf(skip)('computes the calibration table from recorded outcomes, leaving out failed validations', async () => {
    const project = await store.ensureProject('/learn/calibration', 'calibration');
    const { fix } = await pattern(project, 'calibration');
    const samples: { predicted: number; success: boolean; strategy: StrategyName }[] = [
      { predicted: 0.95, success: true, strategy: 'rule-template' },
      { predicted: 0.95, success: true, strategy: 'rule-template' },
      { predicted: 0.93, success: false, strategy: 'rule-template' },
      { predicted: 0.42, success: true, strategy: 'rule-template' },
      { predicted: 0.66, success: false, strategy: 'pattern-reuse' },
    ];
    for (const sample of samples) {
      await outcome(project, await fix({ confidence: sample.predicted, strategy: sample.strategy }), sample.success ? 'verified' : 'rejected');
    }
    await outcome(project, await fix({ confidence: 0, status: 'failed_validation' }), 'failed_validation', 'reparse/re-parse');

    const tables = await store.calibration(project);
    expect(tables.map((t) => t.strategy)).toEqual(['rule-template', 'pattern-reuse']);
    for (const table of tables) {
      const mine = samples.filter((s) => s.strategy === table.strategy);
      expect(table).toEqual(reliabilityTable(table.strategy, tallyOutcomes(mine)));
    }
    expect(tables[0]?.total).toBe(4);
    expect(tables[0]?.buckets[9]).toMatchObject({ count: 3, successes: 2, observedRate: 0.6667 });
    expect(tables[0]?.ece).toBeCloseTo((3 / 4) * Math.abs(2 / 3 - (0.95 + 0.95 + 0.93) / 3) + (1 / 4) * Math.abs(1 - 0.42), 4);

    const report = await store.learningReport(project, 10);
    expect(report.scope).toBe('project');
    expect(report.calibration).toEqual(tables);
    expect(report.outcomes).toEqual([
      { strategy: 'pattern-reuse', outcome: 'rejected', count: 1 },
      { strategy: 'rule-template', outcome: 'failed_validation', count: 1 },
      { strategy: 'rule-template', outcome: 'rejected', count: 1 },
      { strategy: 'rule-template', outcome: 'verified', count: 3 },
    ]);
    // 3 successes in 6 (bound 0.27 < 0.3): the pattern is listed as deprecated, not among the top ones.
    expect(report.top).toEqual([]);
    expect(report.deprecated).toEqual([expect.objectContaining({ occurrences: 1, successes: 3, failures: 3, lowerBound: patternBound(3, 3), deprecated: true })]);
    expect(report.patterns).toMatchObject({ withOutcomes: 1, deprecated: 1 });
  });

  it.skipIf(skip)('keeps outcomes inside their organization', async () => {
    const other = await db.query<{ id: string }>(`INSERT INTO organizations (slug, name) VALUES ('learn-other', 'Other') RETURNING id`);
    const orgId = other[0]?.id ?? '';
    const [projectRow] = await db.query<{ id: string }>(`INSERT INTO projects (organization_id, name, root_path) VALUES ($1, 'x', '/learn/other') RETURNING id`, [orgId]);
    const stranger = { organizationId: orgId, projectId: projectRow?.id ?? '' };
    await store.setPatternSharing(stranger, true);
    const report = await store.learningReport(stranger, 10);
    expect(report.outcomes).toEqual([]);
    expect(report.patterns.withOutcomes).toBe(0);
  });
});
