import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/cache/cache.js';
import { withCache } from '../../src/cache/cached-pipeline-store.js';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { createRedisCache } from '../../src/cache/redis-cache.js';
import type { Finding } from '../../src/domain/finding.js';
import type { FileState, PipelineStore } from '../../src/crawl/ports.js';
import type { NewFix } from '../../src/fixes/ports.js';
import type { ProjectRef } from '../../src/domain/project-ref.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createPipelineStore } from '../../src/store/pipeline-store.js';
import type { Database } from '../../src/store/sql.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';
import { patternFingerprint } from '../../src/domain/fingerprint.js';
import { evalFinding } from '../helpers/findings.js';

const finding = (file: string, n: number, shape?: string): Finding => evalFinding(file, n, shape ? { shape } : {});

/** A pending rule-template fix of `finding`, the minimum an outcome can be recorded against. */
const newFix = (finding: Finding, issueId: string, crawlId: string): NewFix => ({
  issueId,
  crawlId,
  ruleId: finding.ruleId,
  patternFingerprint: finding.patternFingerprint,
  strategy: 'rule-template',
  safety: 'safe',
  edits: [],
  template: null,
  diff: '',
  confidence: 0.9,
  validation: [],
  status: 'applied',
  statusReason: null,
  files: [],
});

const state = (path: string, sha256: string): FileState => ({ path, sizeBytes: 1, mtimeMs: 1.5, sha256, language: 'javascript' });

/** The store with every call recorded, to tell cache hits from database reads. */
function recording(store: PipelineStore): { store: PipelineStore; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = [];
  const proxy = new Proxy(store, {
    get(target, method: string) {
      const original = target[method as keyof PipelineStore] as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        calls.push({ method, args });
        return original(...args);
      };
    },
  });
  return { store: proxy, calls };
}

const redisUp = await redisAvailable();
const redisPrefix = uniquePrefix();
const caches: { name: string; skip: boolean; open: () => Cache }[] = [
  { name: 'memory', skip: false, open: () => createMemoryCache() },
  { name: 'Redis', skip: !redisUp, open: () => createRedisCache({ url: REDIS_URL, keyPrefix: redisPrefix }) },
  // A dead Redis caches nothing, but the store must answer exactly as without a cache.
  { name: 'unreachable Redis', skip: false, open: () => createRedisCache({ url: 'redis://127.0.0.1:1', keyPrefix: uniquePrefix() }) },
];

let db: Database;
beforeAll(async () => {
  db = await openPglite(null);
  await migrate(db);
});
afterAll(async () => {
  await db.close();
  if (redisUp) await cleanupPrefix(redisPrefix);
});

describe.each(caches)('pipeline store cached in $name', ({ name, skip, open }) => {
  const caching = name !== 'unreachable Redis';
  let cache: Cache;
  let calls: { method: string; args: unknown[] }[];
  let store: PipelineStore;
  let project: ProjectRef;
  let crawl: string;
  let suffix: string;

  const reads = (method: string): unknown[][] => calls.filter((c) => c.method === method).map((c) => c.args.slice(1));

  beforeAll(async () => {
    if (skip) return;
    cache = open();
    for (let i = 0; caching && i < 50 && !(await cache.health()).ok; i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    if (!skip) await cache.close();
  });
  beforeEach(async () => {
    if (skip) return;
    const recorded = recording(createPipelineStore(db));
    calls = recorded.calls;
    store = withCache(recorded.store, cache);
    // A project of its own per test, so cached keys never carry over. Patterns belong to the organization,
    // which projects share: pattern shapes carry the suffix instead.
    suffix = Math.random().toString(36).slice(2);
    project = await store.ensureProject(`/repo/${name}/${suffix}`, suffix);
    crawl = await store.startCrawl(project, {});
  });

  it.skipIf(skip)("serves a model's kept answer from the cache once found or stored, and asks the database again while there is none", async () => {
    const key = { provider: 'openai-compatible', model: `m-${suffix}`, promptSha256: 'a'.repeat(64) };
    expect(await store.keptAnswer(project, key)).toBeNull();
    expect(await store.keptAnswer(project, key)).toBeNull();
    expect(reads('keptAnswer')).toHaveLength(2);
    const answer = { edits: [{ find: 'eval(x)', replace: 'f()' }], explanation: 'why', usage: { inputTokens: 10, outputTokens: 2 } };
    const call = { ...key, crawlId: crawl, ruleId: 'js/no-eval', outcome: 'answered' as const, detail: null, inputTokens: 10, outputTokens: 2, costUsd: null, durationMs: 5 };
    await store.recordLlmCall(project, call, answer);
    expect(await store.keptAnswer(project, key)).toEqual(answer);
    expect(await store.keptAnswer(project, key)).toEqual(answer);
    expect(reads('keptAnswer')).toHaveLength(caching ? 2 : 4);
  });

  it.skipIf(skip)('serves file states from the cache until they are saved or forgotten', async () => {
    await store.saveFileStates(project, crawl, [state('a.js', 'aa'), state('b.js', 'bb')]);
    const first = await store.fileStates(project);
    first.delete('a.js');
    const second = await store.fileStates(project);
    expect(second).toEqual(new Map([['a.js', state('a.js', 'aa')], ['b.js', state('b.js', 'bb')]]));
    expect(reads('fileStates')).toHaveLength(caching ? 1 : 2);

    await store.saveFileStates(project, crawl, [state('a.js', 'a2')]);
    expect((await store.fileStates(project)).get('a.js')?.sha256).toBe('a2');
    await store.forgetFiles(project, ['b.js']);
    expect([...(await store.fileStates(project)).keys()]).toEqual(['a.js']);
    expect(reads('fileStates')).toHaveLength(caching ? 3 : 4);
  });

  it.skipIf(skip)('caches pattern statistics, misses included, and drops them when they change', async () => {
    const known = finding('p.js', 1, `eval ( $ID ) ${suffix}`);
    const other = finding('p.js', 2, `eval ( $OTHER ) ${suffix}`);
    const unknown = patternFingerprint('js/no-eval', `never seen ${suffix}`);
    await store.recordPatternOccurrences(project, [known]);

    const first = await store.patternStats(project, [known.patternFingerprint, unknown]);
    expect([...first.keys()]).toEqual([known.patternFingerprint]);
    expect(await store.patternStats(project, [unknown, known.patternFingerprint])).toEqual(first);
    // Only fingerprints the cache does not know reach the database, in one call.
    await store.patternStats(project, [known.patternFingerprint, unknown, other.patternFingerprint]);
    expect(reads('patternStats')).toEqual(
      caching
        ? [[[known.patternFingerprint, unknown]], [[other.patternFingerprint]]]
        : [[[known.patternFingerprint, unknown]], [[unknown, known.patternFingerprint]], [[known.patternFingerprint, unknown, other.patternFingerprint]]],
    );

    const issueIds = await store.upsertIssues(project, crawl, [known]);
    const fixId = await store.insertFix(project, newFix(known, issueIds.get(known.fingerprint) ?? '', crawl));
    await store.recordFixOutcomes(project, [{ fixId, kind: 'verified', detail: null }]);
    expect((await store.patternStats(project, [known.patternFingerprint])).get(known.patternFingerprint)?.successes).toBe(1);
    await store.setPatternBestFix(project, known.patternFingerprint, { template: 'JSON.parse($ID)', safety: 'unsafe' });
    expect((await store.patternStats(project, [known.patternFingerprint])).get(known.patternFingerprint)?.bestFix).toEqual({
      template: 'JSON.parse($ID)',
      safety: 'unsafe',
    });
    // A cached "no statistics" is dropped once the pattern is first recorded.
    await store.recordPatternOccurrences(project, [other]);
    expect((await store.patternStats(project, [other.patternFingerprint])).get(other.patternFingerprint)).toMatchObject({ successes: 0, failures: 0 });
    if (caching) expect(reads('patternStats').slice(2)).toEqual([[[known.patternFingerprint]], [[known.patternFingerprint]], [[other.patternFingerprint]]]);
  });

  it.skipIf(skip)("drops every project's cached view of a pattern when an outcome, restoration or sharing change lands", async () => {
    const sibling = await store.ensureProject(`/repo/${name}/${suffix}-sibling`, `${suffix}-sibling`);
    await store.setPatternSharing(project, true);
    await store.setPatternSharing(sibling, true);
    const shared = finding('s.js', 1, `eval ( $ID ) shared ${suffix}`);
    await store.recordPatternOccurrences(project, [shared]);
    expect((await store.patternStats(sibling, [shared.patternFingerprint])).get(shared.patternFingerprint)?.successes).toBe(0);

    // An outcome in one sharing project changes what its sibling reads from the pool.
    const issueIds = await store.upsertIssues(project, crawl, [shared]);
    const fixId = await store.insertFix(project, newFix(shared, issueIds.get(shared.fingerprint) ?? '', crawl));
    await store.recordFixOutcomes(project, [{ fixId, kind: 'verified', detail: null }]);
    expect((await store.patternStats(sibling, [shared.patternFingerprint])).get(shared.patternFingerprint)?.successes).toBe(1);

    // Leaving the pool takes the sibling back to its own (empty) record at once.
    await store.setPatternSharing(sibling, false);
    expect((await store.patternStats(sibling, [shared.patternFingerprint])).get(shared.patternFingerprint)?.successes).toBe(0);
    expect(await store.restorePattern(sibling, shared.patternFingerprint, 'tester', 'not deprecated')).toBe(false);
    expect(reads('patternStats').filter(([fps]) => (fps as string[]).includes(shared.patternFingerprint))).toHaveLength(3);
  });

  it.skipIf(skip)('serves open issues from the cache until issues change', async () => {
    const a = finding('i.js', 1);
    const ids = await store.upsertIssues(project, crawl, [a]);
    expect((await store.openIssues(project)).map((i) => i.fingerprint)).toEqual([a.fingerprint]);
    await store.openIssues(project);
    expect(reads('openIssues')).toHaveLength(caching ? 1 : 2);

    const b = finding('i.js', 2);
    await store.upsertIssues(project, crawl, [a, b]);
    expect((await store.openIssues(project)).map((i) => i.fingerprint).sort()).toEqual([a.fingerprint, b.fingerprint].sort());
    await store.markIssueFixed(project, ids.get(a.fingerprint) ?? '', true, 'approved');
    expect((await store.openIssues(project)).map((i) => i.fingerprint)).toEqual([b.fingerprint]);
    const next = await store.startCrawl(project, {});
    expect(await store.resolveMissingIssues(project, next, ['i.js'])).toBe(1);
    expect(await store.openIssues(project)).toEqual([]);
  });
});

describe('withCache', () => {
  let base: PipelineStore;
  let project: ProjectRef;
  beforeAll(async () => {
    base = createPipelineStore(db);
    project = await base.ensureProject('/repo/with-cache', 'with-cache');
  });

  it('answers from the store when every cache call fails', async () => {
    const broken: Cache = {
      kind: 'memory',
      get: () => Promise.reject(new Error('get failed')),
      set: () => Promise.reject(new Error('set failed')),
      del: () => Promise.reject(new Error('del failed')),
      delByPrefix: () => Promise.reject(new Error('delByPrefix failed')),
      incr: () => Promise.reject(new Error('incr failed')),
      health: async () => ({ kind: 'memory', ok: false, detail: 'broken' }),
      close: async () => undefined,
    };
    const store = withCache(base, broken);
    const crawl = await store.startCrawl(project, {});
    await store.saveFileStates(project, crawl, [state('x.js', 'xx')]);
    expect((await store.fileStates(project)).get('x.js')).toEqual(state('x.js', 'xx'));
    await store.upsertIssues(project, crawl, [finding('x.js', 1)]);
    expect(await store.openIssues(project)).toHaveLength(1);
    const fresh = finding('x.js', 1, 'eval ( $ID ) only here');
    expect(await store.patternStats(project, [fresh.patternFingerprint])).toEqual(new Map());
    await store.recordPatternOccurrences(project, [fresh]);
    expect((await store.patternStats(project, [fresh.patternFingerprint])).size).toBe(1);
  });

  it('does not cache a read that raced with a write', async () => {
    const cache = createMemoryCache();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let readTaken: () => void = () => undefined;
    const taken = new Promise<void>((resolve) => {
      readTaken = resolve;
    });
    let fileStateReads = 0;
    // The first read takes its rows, then stalls until a write has gone through.
    const slow: PipelineStore = {
      ...base,
      fileStates: async (p) => {
        fileStateReads += 1;
        const rows = await base.fileStates(p);
        if (fileStateReads === 1) {
          readTaken();
          await gate;
        }
        return rows;
      },
    };
    const store = withCache(slow, cache);
    const crawl = await store.startCrawl(project, {});
    await store.saveFileStates(project, crawl, [state('race.js', 'old')]);

    const inFlight = store.fileStates(project);
    await taken;
    await store.saveFileStates(project, crawl, [state('race.js', 'new')]);
    release();
    expect((await inFlight).get('race.js')?.sha256).toBe('old');
    expect((await store.fileStates(project)).get('race.js')?.sha256).toBe('new');
  });
});
