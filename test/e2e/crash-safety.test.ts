import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, REPO_ROOT, roach, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const FILES = 120;
const ORIGINAL = (i: number): string => `// module ${i}\nexport function f${i}(x) {\n  debugger;\n  if (x === NaN) return 0;\n  debugger;\n  return x + ${i};\n}\n`;

/** The only states a file may be in: each planted issue either untouched or fully fixed. */
function isWholeState(text: string, i: number): boolean {
  const nan = ['  if (x === NaN) return 0;\n', '  if (Number.isNaN(x)) return 0;\n'];
  const lines = [`// module ${i}\n`, `export function f${i}(x) {\n`];
  for (const a of ['  debugger;\n', '']) {
    for (const b of nan) {
      for (const c of ['  debugger;\n', '']) {
        if ([...lines, a, b, c, `  return x + ${i};\n`, '}\n'].join('') === text) return true;
      }
    }
  }
  return false;
}

function killAfter(args: readonly string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'roach.js'), ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('a crawl killed at any moment', () => {
  it('never leaves a half-written file, and the next crawl recovers', async () => {
    const dir = await tempDir('roach-crash-');
    for (let i = 0; i < FILES; i++) await writeFile(path.join(dir, `m${i}.js`), ORIGINAL(i));
    // Kill points spread over store start-up, analysis and the apply phase.
    for (const ms of [600, 1500, 2500, 3500, 4500, 5500, 7000]) {
      await killAfter(['crawl', dir, '--apply', '--no-progress', '--threads', '1'], ms);
      for (let i = 0; i < FILES; i++) {
        const text = await readFile(path.join(dir, `m${i}.js`), 'utf8');
        expect(isWholeState(text, i), `m${i}.js after a kill at ${ms} ms:\n${text}`).toBe(true);
      }
    }
    // A write killed between temp file and rename leaves the temp file: the next crawl removes it.
    await writeFile(path.join(dir, '.m0.js.roach-tmp-deadbeef0001'), 'partial');
    const final = await roach(['crawl', dir, '--apply', '--format', 'json']);
    expect(final.code, final.stderr).toBe(0);
    for (let i = 0; i < FILES; i++) {
      expect(await readFile(path.join(dir, `m${i}.js`), 'utf8')).toBe(`// module ${i}\nexport function f${i}(x) {\n  if (Number.isNaN(x)) return 0;\n  return x + ${i};\n}\n`);
    }
    expect((await readdir(dir)).filter((name) => name.includes('.roach-tmp-'))).toEqual([]);
    expect(await readFile(path.join(dir, '.roach', '.gitignore'), 'utf8')).toContain('*');
    const review = await roach(['review', 'list', '--dir', dir, '--json']);
    expect(JSON.parse(review.stdout)).toEqual([]);
  }, 180_000);
});
