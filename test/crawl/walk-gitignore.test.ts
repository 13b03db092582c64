import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/crawl/walk.js';
import { crawlDir } from '../helpers/crawl.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

async function project(files: Readonly<Record<string, string>>): Promise<string> {
  const root = await tempDir('roach-gitignore-');
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  }
  return root;
}

describe('a .gitignore that cannot be read', () => {
  it('is reported as a warning naming the file, not silently treated as absent', async () => {
    const root = await project({ 'a.js': 'debugger;\n', '.gitignore': 'ignored.js\n', 'ignored.js': 'x;\n', 'sub/gen.js': 'x;\n', 'other/b.js': 'x;\n' });
    // Unreadable as a file: a folder named .gitignore (root reads any file, so permissions would prove nothing here),
    await mkdir(path.join(root, 'sub', '.gitignore'));
    // and a link to nowhere.
    await symlink(path.join(root, 'missing-target'), path.join(root, 'other', '.gitignore'));
    const walked = await walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000 });
    expect(walked.files.map((f) => f.path).sort()).toEqual(['a.js', 'other/b.js', 'sub/gen.js']);
    expect(walked.warnings.map((w) => w.path).sort()).toEqual(['other/.gitignore', 'sub/.gitignore']);
    expect(walked.warnings.find((w) => w.path === 'sub/.gitignore')?.message).toMatch(/^cannot read it: not a regular file.*its rules were not applied/);
  });

  it('leaves no warning when a folder simply has no .gitignore', async () => {
    const root = await project({ 'a.js': 'x;\n', 'sub/b.js': 'x;\n' });
    expect((await walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000 })).warnings).toEqual([]);
  });

  it('shows up in the crawl report', async () => {
    const root = await project({ 'src/a.js': 'export const a = 1;\n' });
    await mkdir(path.join(root, 'src', '.gitignore'));
    const report = await crawlDir(root, { fix: false });
    expect(report.warnings).toEqual([{ path: 'src/.gitignore', message: expect.stringContaining('cannot read it') }]);
  }, 60_000);
});
