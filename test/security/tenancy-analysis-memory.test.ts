import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { analyzeAll } from '../../src/crawl/analyze-pool.js';
import { expectOnlyBigSkipped, selection, writeLimitFiles } from './analysis-limits-fixture.js';

// The memory guard watches the process's resident memory. It runs alone in this file, so in a fresh
// test process: pages an earlier analysis freed but the allocator kept would let the big file's
// analysis reuse them without the growth the guard looks for (a run of the whole suite showed it).
let root = '';
afterAll(() => rm(root, { recursive: true, force: true }));

describe('analysis memory guard', () => {
  it('skips a file whose analysis alone grows the process past the memory guard, and analyzes the others', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'roach-limits-memory-'));
    const files = await writeLimitFiles(root);
    const outcomes = await analyzeAll({ selection, root, files, threads: 2, limits: { fileTimeoutMs: 60_000, fileMemoryMb: 40 } });
    expectOnlyBigSkipped(files, outcomes, 'analysis-memory');
  });
});
