import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { AnalyzeTaskFile } from '../../src/crawl/analyze-file.js';
import type { analyzeAll } from '../../src/crawl/analyze-pool.js';

export const selection = { extraDirs: [], disabled: [] };

/** An array literal whose analysis takes tens of seconds and a few hundred MiB (about 1.6 MB). */
function pathological(): string {
  const rows = Array.from({ length: 30_000 }, (_, i) => `  { id: ${i}, name: "item${i}", value: compute(${i}, "x") },`);
  return `const data = [\n${rows.join('\n')}\n];\n`;
}

/** Six small files with one finding each and, among them, big.js: the file a limit must stop. */
export async function writeLimitFiles(root: string): Promise<AnalyzeTaskFile[]> {
  const files: AnalyzeTaskFile[] = [];
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
  return files;
}

export function expectOnlyBigSkipped(files: readonly AnalyzeTaskFile[], outcomes: Awaited<ReturnType<typeof analyzeAll>>, reason: string): void {
  expect(outcomes.map((o) => o.path)).toEqual(files.map((f) => f.path));
  const big = outcomes.find((o) => o.path === 'big.js');
  expect(big).toMatchObject({ status: 'skipped', reason });
  for (const outcome of outcomes.filter((o) => o.path !== 'big.js')) {
    expect(outcome.status, outcome.path).toBe('analyzed');
    if (outcome.status === 'analyzed') expect(outcome.findings.map((f) => f.ruleId)).toContain('js/no-eval');
  }
}
