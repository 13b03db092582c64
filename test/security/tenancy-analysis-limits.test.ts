import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeTaskFile } from '../../src/crawl/analyze-file.js';
import { analyzeAll } from '../../src/crawl/analyze-pool.js';
import { expectOnlyBigSkipped, selection, writeLimitFiles } from './analysis-limits-fixture.js';

// Issue 20 point 9: with maxFileSizeBytes raised, one large file ran for minutes at gigabytes with no
// per-file cap. The pool runs the compiled worker (dist/): `npm run build` before this file. The
// memory guard has a file of its own (tenancy-analysis-memory.test.ts): it measures the process's
// resident memory, which an earlier test's freed-but-kept pages would hide.
let root = '';
let files: AnalyzeTaskFile[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-limits-'));
  files = await writeLimitFiles(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Under the one-file-per-task size, so it starts in a batch with others: about 250 KB, seconds of analysis. */
function denseMedium(): string {
  return `${Array.from({ length: 10_500 }, (_, i) => `if (a == ${i}) { b(); }`).join('\n')}\n`;
}

describe('analysis limits', () => {
  it('retries an overrunning batch file by file and skips only the file that overruns alone', async () => {
    const medium = denseMedium();
    expect(medium.length).toBeLessThan(256 * 1024);
    await writeFile(path.join(root, 'medium.js'), medium);
    const batch = [...files.filter((f) => f.path !== 'big.js'), { path: 'medium.js', absolutePath: path.join(root, 'medium.js'), language: 'javascript' as const, previousSha256: null, sizeBytes: medium.length }];
    const outcomes = await analyzeAll({ selection, root, files: batch, threads: 1, limits: { fileTimeoutMs: 1_200 } });
    expect(outcomes.find((o) => o.path === 'medium.js')).toMatchObject({ status: 'skipped', reason: 'analysis-timeout' });
    expect(outcomes.filter((o) => o.path !== 'medium.js').map((o) => o.status)).toEqual(Array(6).fill('analyzed'));
  });

  it('skips a file that overruns the per-file time budget and analyzes the others', async () => {
    const started = Date.now();
    const outcomes = await analyzeAll({ selection, root, files, threads: 2, limits: { fileTimeoutMs: 3_000 } });
    expectOnlyBigSkipped(files, outcomes, 'analysis-timeout');
    expect(outcomes.find((o) => o.path === 'big.js')).toMatchObject({ detail: expect.stringContaining('3000 ms') });
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
