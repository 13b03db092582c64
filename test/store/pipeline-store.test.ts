import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, FindingTrace } from '../../src/domain/finding.js';
import type { PipelineStore } from '../../src/crawl/ports.js';
import type { ProjectRef } from '../../src/domain/project-ref.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/sql.js';
import { dropSchema, POSTGRES_URL, postgresAvailable, uniqueSchema } from '../helpers/postgres.js';
import { evalFinding } from '../helpers/findings.js';

const finding = (file: string, n: number): Finding => evalFinding(file, n);

const pgReachable = await postgresAvailable();
const schema = uniqueSchema();

const backends: { name: string; open: () => Promise<Database>; skip: boolean }[] = [
  { name: 'PGlite', open: () => openPglite(null), skip: false },
  { name: 'PostgreSQL', open: () => openPostgres({ connectionString: POSTGRES_URL, schema }), skip: !pgReachable },
];

// One suite, run against every backend: the same migrations and queries must behave the same.
describe.each(backends)('pipeline store on $name', ({ open, skip }) => {
  let db: Database;
  let store: PipelineStore;
  let project: ProjectRef;

  beforeAll(async () => {
    if (skip) return;
    db = await open();
    await migrate(db);
    store = createPipelineStore(db);
    project = await store.ensureProject('/repo/a', 'a');
  });
  afterAll(async () => {
    if (skip) return;
    await db.close();
    if (db.kind === 'postgres') await dropSchema(schema);
  });

  it.skipIf(skip)('migrates idempotently and refuses a newer database', async () => {
    expect(await migrate(db)).toEqual([]);
    const known = await listMigrations();
    const newest = Math.max(...known.map((m) => m.version));
    await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [newest + 1, 'from_the_future']);
    await expect(migrate(db)).rejects.toMatchObject({ code: 'CR_ERR_STORE_NEWER' });
    await db.query('DELETE FROM schema_migrations WHERE version = $1', [newest + 1]);
  });

  it.skipIf(skip)('ensureProject is idempotent', async () => {
    expect(await store.ensureProject('/repo/a', 'a')).toEqual(project);
    expect((await store.ensureProject('/repo/b', 'b')).projectId).not.toBe(project.projectId);
  });

  it.skipIf(skip)('upserts issues in batches and resolves the ones that disappear', async () => {
    const crawl1 = await store.startCrawl(project, {});
    const many = Array.from({ length: 2500 }, (_, i) => finding(`f${i % 50}.js`, i));
    const ids = await store.upsertIssues(project, crawl1, many);
    expect(ids.size).toBe(2500);
    await store.finishCrawl(project, crawl1, { n: 1 });

    const crawl2 = await store.startCrawl(project, {});
    const kept = many.filter((f) => f.file !== 'f0.js');
    const again = await store.upsertIssues(project, crawl2, kept);
    expect(again.get(kept[0]?.fingerprint ?? '')).toBe(ids.get(kept[0]?.fingerprint ?? ''));
    const resolved = await store.resolveMissingIssues(project, crawl2, ['f0.js', 'f1.js']);
    expect(resolved).toBe(50);
    const counts = await store.openIssueCounts(project);
    expect(counts.get('f0.js')).toBeUndefined();
    expect(counts.get('f1.js')).toEqual({ high: 50 });
  });

  it.skipIf(skip)('keeps file states and forgets removed files', async () => {
    const crawl = await store.startCrawl(project, {});
    await store.saveFileStates(project, crawl, [
      { path: 'a.js', sizeBytes: 10, mtimeMs: 1.5, sha256: 'aa', language: 'javascript' },
      { path: 'b.ts', sizeBytes: 20, mtimeMs: 2.5, sha256: 'bb', language: 'typescript' },
    ]);
    await store.saveFileStates(project, crawl, [{ path: 'a.js', sizeBytes: 11, mtimeMs: 3.5, sha256: 'cc', language: 'javascript' }]);
    await store.forgetFiles(project, ['b.ts']);
    const states = await store.fileStates(project);
    expect([...states.values()]).toEqual([{ path: 'a.js', sizeBytes: 11, mtimeMs: 3.5, sha256: 'cc', language: 'javascript' }]);
  });

  it.skipIf(skip)("keeps a file's convention counts and the decisions it was filtered with", async () => {
    const crawl = await store.startCrawl(project, {});
    const state = { path: 'c.js', sizeBytes: 1, mtimeMs: 1, sha256: 'dd', language: 'javascript', conventionCounts: { 'js/no-var': { violating: 3, conforming: 1 } }, decisions: 'js/no-var' };
    await store.saveFileStates(project, crawl, [state]);
    expect((await store.fileStates(project)).get('c.js')).toEqual(state);
  });

  it.skipIf(skip)('stores fixes with exact original bytes and tracks pattern outcomes', async () => {
    const crawl = await store.startCrawl(project, {});
    const f = finding('fix.js', 1);
    const ids = await store.upsertIssues(project, crawl, [f]);
    await store.recordPatternOccurrences(project, [f, f]);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x00, 0xff]);
    const fixId = await store.insertFix(project, {
      issueId: ids.get(f.fingerprint) ?? '',
      crawlId: crawl,
      ruleId: f.ruleId,
      patternFingerprint: f.patternFingerprint,
      strategy: 'rule-template',
      safety: 'safe',
      edits: [{ file: 'fix.js', start: 0, end: 1, text: 'b' }],
      template: 'b',
      diff: '--- a\n+++ b\n',
      confidence: 0.92,
      validation: [{ step: 'reparse', name: 're-parse', passed: true, detail: '', durationMs: 1 }],
      status: 'pending',
      statusReason: null,
      files: [{ path: 'fix.js', originalBytes: bytes, originalSha256: 'o', fixedSha256: 'n' }],
    });
    const stored = await store.getFix(project, fixId.slice(0, 8));
    expect(stored).toMatchObject({ id: fixId, status: 'pending', filePaths: ['fix.js'], confidence: 0.92, template: 'b' });
    expect(Buffer.compare(Buffer.from((await store.fixFiles(project, fixId))[0]?.originalBytes ?? []), Buffer.from(bytes))).toBe(0);
    expect(await store.issuesHavingFixes(project)).toContain(ids.get(f.fingerprint));

    await store.setFixStatus(project, fixId, 'applied', 'ok', 'tester');
    expect((await store.listFixes(project, ['applied'])).map((x) => x.id)).toContain(fixId);
    await store.recordFixOutcomes(project, [{ fixId, kind: 'verified', detail: null }]);
    await store.setPatternBestFix(project, f.patternFingerprint, { template: 'b', safety: 'safe' });
    const stats = await store.patternStats(project, [f.patternFingerprint]);
    expect(stats.get(f.patternFingerprint)).toMatchObject({ fingerprint: f.patternFingerprint, successes: 1, failures: 0, deprecated: false, bestFix: { template: 'b', safety: 'safe' } });
  });

  it.skipIf(skip)('records file health and analytics', async () => {
    const crawl = await store.startCrawl(project, {});
    await store.recordFileHealth(project, crawl, [{ filePath: 'a.js', healthScore: 50, issueCount: 2 }]);
    await store.recordAnalytics(project, crawl, 'crawl_summary', { findings: 2 });
    const rows = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM code_roach_file_health WHERE crawl_id = $1', [crawl]);
    expect(Number(rows[0]?.n)).toBe(1);
    const metric = await db.query<{ metric_value: unknown }>('SELECT metric_value FROM code_roach_analytics WHERE crawl_id = $1', [crawl]);
    expect(metric[0]?.metric_value).toEqual({ findings: 2 });
  });

  it.skipIf(skip)('keeps a taint finding\'s trace, replaces it on the next crawl, and leaves other issues without one', async () => {
    const trace: FindingTrace = { source: { label: 'req.query.id', line: 2, column: 14 }, steps: [{ label: 'q', line: 3, column: 8 }] };
    const traced = await store.ensureProject('/repo/traced', 'traced');
    await store.upsertIssues(traced, await store.startCrawl(traced, {}), [{ ...finding('a.js', 1), trace }, finding('a.js', 2)]);
    const first = await store.openIssues(traced);
    expect(first.find((i) => i.range.startLine === 1)?.trace).toEqual(trace);
    expect(first.find((i) => i.range.startLine === 2)).not.toHaveProperty('trace');
    const moved: FindingTrace = { ...trace, steps: [{ label: 'where', line: 5, column: 6 }] };
    await store.upsertIssues(traced, await store.startCrawl(traced, {}), [{ ...finding('a.js', 1), trace: moved }]);
    expect((await store.openIssues(traced)).find((i) => i.range.startLine === 1)?.trace).toEqual(moved);
  });
});
