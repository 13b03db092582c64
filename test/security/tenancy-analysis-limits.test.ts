import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeTaskFile } from '../../src/pipeline/analyze-file.js';
import { analyzeAll } from '../../src/pipeline/analyze-pool.js';

// Issue 20 point 9: with maxFileSizeBytes raised, one large file ran for minutes at gigabytes with no
// per-file cap. The pool runs the compiled worker (dist/): `npm run build` before this file.
let root = '';
const files: AnalyzeTaskFile[] = [];
const selection = { extraDirs: [], disabled: [] };

/** An array literal whose analysis takes tens of seconds and a few hundred MiB (about 1.6 MB). */
function pathological(): string {
  const rows = Array.from({ length: 30_000 }, (_, i) => `  { id: ${i}, name: "item${i}", value: compute(${i}, "x") },`);
  return `const data = [\n${rows.join('\n')}\n];\n`;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-limits-'));
  for (let i = 0; i < 6; i++) {
    const name = `small${i}.js`;
    await writeFile(path.join(root, name), `const value${i} = eval(input${i});\n`);
    files.push({ path: name, absolutePath: path.join(root, name), language: 'javascript', previousSha256: null, sizeBytes: 40 });
    if (i === 2) {
      const big = pathological();
      await writeFile(path.join(root, 'big.js'), big);
      files.push({ path: 'big.js', absolutePath: path.join(root, 'big.js'), language: 'javascript', previousSha256: null, sizeBytes: big.length });
    }
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

function expectOnlyBigSkipped(outcomes: Awaited<ReturnType<typeof analyzeAll>>, reason: string): void {
  expect(outcomes.map((o) => o.path)).toEqual(files.map((f) => f.path));
  const big = outcomes.find((o) => o.path === 'big.js');
  expect(big).toMatchObject({ status: 'skipped', reason });
  for (const outcome of outcomes.filter((o) => o.path !== 'big.js')) {
    expect(outcome.status, outcome.path).toBe('analyzed');
    if (outcome.status === 'analyzed') expect(outcome.findings.map((f) => f.ruleId)).toContain('js/no-eval');
  }
}

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
    expectOnlyBigSkipped(outcomes, 'analysis-timeout');
    expect(outcomes.find((o) => o.path === 'big.js')).toMatchObject({ detail: expect.stringContaining('3000 ms') });
    expect(Date.now() - started).toBeLessThan(45_000);
  });

  it('skips a file whose analysis alone grows the process past the memory guard', async () => {
    const outcomes = await analyzeAll({ selection, root, files, threads: 2, limits: { fileTimeoutMs: 60_000, fileMemoryMb: 40 } });
    expectOnlyBigSkipped(outcomes, 'analysis-memory');
  });
});
