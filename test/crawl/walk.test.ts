import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_MARKER } from '../../src/io/atomic-write.js';
import { walkTree } from '../../src/crawl/walk.js';
import type { WalkOptions, WalkResult } from '../../src/crawl/walk.js';

const isRoot = process.getuid?.() === 0;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-walk-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Creates files (path -> content) under the root; parent folders are made as needed. */
async function tree(files: Readonly<Record<string, string>>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

function walk(options: Partial<WalkOptions> = {}): Promise<WalkResult> {
  return walkTree({ root, include: [], exclude: [], maxFileSizeBytes: 1_000_000, ...options });
}

async function paths(options: Partial<WalkOptions> = {}): Promise<string[]> {
  return (await walk(options)).files.map((file) => file.path);
}

describe('walkTree', () => {
  // Declaration files (types.d.ts) hold no code that runs, so they are not crawled.
  it('picks the language by extension and ignores other files', async () => {
    await tree({
      'a.js': '',
      'b.mjs': '',
      'c.cjs': '',
      'd.jsx': '',
      'e.ts': '',
      'f.mts': '',
      'g.cts': '',
      'h.tsx': '',
      'types.d.ts': '',
      'UPPER.JS': '',
      'data.json': '{}',
      'readme.md': '',
      'style.css': '',
      'Makefile': '',
      'script.js.map': '',
      'noext': '',
    });
    const result = await walk();
    expect(Object.fromEntries(result.files.map((file) => [file.path, file.language]))).toEqual({
      'UPPER.JS': 'javascript',
      'a.js': 'javascript',
      'b.mjs': 'javascript',
      'c.cjs': 'javascript',
      'd.jsx': 'javascript',
      'e.ts': 'typescript',
      'f.mts': 'typescript',
      'g.cts': 'typescript',
      'h.tsx': 'tsx',
    });
    expect(result.skipped).toEqual([]);
  });

  it('gives project-relative POSIX paths, absolute paths, sizes and mtimes, in a stable order', async () => {
    await tree({ 'src/z.js': 'zz', 'src/a/b.ts': 'const b = 1;\n', 'index.js': 'x' });
    const result = await walk();
    expect(result.files.map((file) => file.path)).toEqual(['index.js', 'src/a/b.ts', 'src/z.js']);
    const b = result.files[1];
    expect(b?.absolutePath).toBe(path.join(root, 'src', 'a', 'b.ts'));
    expect(b?.sizeBytes).toBe(13);
    expect(b?.mtimeMs).toBeGreaterThan(0);
  });

  it('always skips node_modules, .git and .roach, at any depth', async () => {
    await tree({
      'node_modules/dep/index.js': '',
      '.git/hooks/pre-commit.js': '',
      '.roach/cache.js': '',
      'packages/app/node_modules/x.js': '',
      'packages/app/src/main.js': '',
    });
    expect(await paths()).toEqual(['packages/app/src/main.js']);
  });

  it('does not let a .gitignore negation bring back the always-skipped folders', async () => {
    await tree({ '.gitignore': '!node_modules/\n!.git\n', 'node_modules/dep/index.js': '', '.git/x.js': '', 'a.js': '' });
    expect(await paths()).toEqual(['a.js']);
  });

  it('honours the root .gitignore, including negation', async () => {
    await tree({
      '.gitignore': '# build output\ndist/\n*.gen.js\n!keep.gen.js\n/only-at-root.js\n',
      'dist/bundle.js': '',
      'src/dist/inner.js': '',
      'a.gen.js': '',
      'keep.gen.js': '',
      'src/b.gen.js': '',
      'only-at-root.js': '',
      'src/only-at-root.js': '',
      'src/main.js': '',
    });
    expect(await paths()).toEqual(['keep.gen.js', 'src/main.js', 'src/only-at-root.js']);
  });

  it('applies a nested .gitignore relative to its own folder only', async () => {
    await tree({
      'local.js': '',
      'pkg/.gitignore': 'local.js\n/anchored.js\nbuild/\n',
      'pkg/local.js': '',
      'pkg/deeper/local.js': '',
      'pkg/anchored.js': '',
      'pkg/deeper/anchored.js': '',
      'pkg/build/out.js': '',
      'other/build/out.js': '',
    });
    expect(await paths()).toEqual(['local.js', 'other/build/out.js', 'pkg/deeper/anchored.js']);
  });

  it('lets a nested .gitignore re-include a file a parent .gitignore ignores, as git does', async () => {
    await tree({
      '.gitignore': '*.gen.js\n',
      'a.gen.js': '',
      'pkg/.gitignore': '!special.gen.js\n',
      'pkg/special.gen.js': '',
      'pkg/other.gen.js': '',
    });
    expect(await paths()).toEqual(['pkg/special.gen.js']);
  });

  it('lets a nested .gitignore ignore what a parent re-included', async () => {
    await tree({
      '.gitignore': '*.gen.js\n!keep.gen.js\n',
      'keep.gen.js': '',
      'pkg/.gitignore': 'keep.gen.js\n',
      'pkg/keep.gen.js': '',
    });
    expect(await paths()).toEqual(['keep.gen.js']);
  });

  it('cannot re-include a file whose folder is ignored', async () => {
    await tree({ '.gitignore': 'vendor/\n!vendor/keep.js\n', 'vendor/keep.js': '', 'a.js': '' });
    expect(await paths()).toEqual(['a.js']);
  });

  it('applies ignore patterns to names that merely start with two dots', async () => {
    await tree({ '.gitignore': '..weird.js\n', '..weird.js': '', '..other.js': '', 'a.js': '' });
    expect(await paths({ exclude: ['..other.js'] })).toEqual(['a.js']);
  });

  it('only crawls files matching the config include patterns', async () => {
    await tree({ 'src/a.js': '', 'src/deep/b.ts': '', 'lib/c.js': '', 'index.js': '', 'test/d.test.js': '' });
    expect(await paths({ include: ['src/', '*.test.js'] })).toEqual(['src/a.js', 'src/deep/b.ts', 'test/d.test.js']);
  });

  it('leaves out files and folders matching the config exclude patterns', async () => {
    await tree({ 'src/a.js': '', 'src/a.test.js': '', 'legacy/old.js': '', 'src/legacy/newer.js': '', 'fixtures/x.ts': '' });
    expect(await paths({ exclude: ['*.test.js', '/legacy/', 'fixtures'] })).toEqual(['src/a.js', 'src/legacy/newer.js']);
  });

  it('applies exclude over include', async () => {
    await tree({ 'src/a.js': '', 'src/a.test.js': '' });
    expect(await paths({ include: ['src/'], exclude: ['*.test.js'] })).toEqual(['src/a.js']);
  });

  it('reports files over the size limit as too-large and keeps those at the limit', async () => {
    await tree({ 'at-limit.js': '1234567890', 'over.js': '12345678901' });
    const result = await walk({ maxFileSizeBytes: 10 });
    expect(result.files.map((file) => file.path)).toEqual(['at-limit.js']);
    expect(result.skipped).toEqual([{ path: 'over.js', reason: 'too-large', detail: expect.stringContaining('11 bytes') }]);
  });

  it('does not report an ignored too-large file', async () => {
    await tree({ '.gitignore': 'big.js\n', 'big.js': '12345678901' });
    expect((await walk({ maxFileSizeBytes: 10 })).skipped).toEqual([]);
  });

  it('follows a symlink to a folder but stops at a symlink pointing to an ancestor', async () => {
    await tree({ 'src/a.js': '', 'src/inner/b.js': '' });
    await symlink('..', path.join(root, 'src', 'inner', 'up'));
    const result = await walk();
    expect(result.files.map((file) => file.path)).toEqual(['src/a.js', 'src/inner/b.js']);
    expect(result.skipped).toEqual([{ path: 'src/inner/up', reason: 'symlink-loop', detail: expect.any(String) }]);
  });

  it('reports a symlink pointing to itself as a loop', async () => {
    await tree({ 'a.js': '' });
    await symlink('self.js', path.join(root, 'self.js'));
    const result = await walk();
    expect(result.files.map((file) => file.path)).toEqual(['a.js']);
    expect(result.skipped).toEqual([{ path: 'self.js', reason: 'symlink-loop', detail: expect.any(String) }]);
  });

  it('reports a broken symlink', async () => {
    await tree({ 'a.js': '' });
    await symlink('missing.js', path.join(root, 'dangling.js'));
    const result = await walk();
    expect(result.files.map((file) => file.path)).toEqual(['a.js']);
    expect(result.skipped).toEqual([{ path: 'dangling.js', reason: 'broken-symlink', detail: expect.any(String) }]);
  });

  it('does not follow links to files or folders inside the project (they are crawled under their own name)', async () => {
    await tree({ 'real.js': 'abc', 'src/b.js': 'x' });
    await symlink('real.js', path.join(root, 'alias.js'));
    await symlink('src', path.join(root, 'a-src'));
    const result = await walk();
    expect(result.files.map((file) => file.path)).toEqual(['real.js', 'src/b.js']);
    expect(result.skipped).toEqual([]);
  });

  it('never follows a link to a file outside the project: it is skipped with the reason (issue 20)', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'roach-outside-'));
    try {
      await writeFile(path.join(outside, 'shared.js'), 'abcd');
      await symlink(path.join(outside, 'shared.js'), path.join(root, 'shared.js'));
      const result = await walk();
      expect(result.files).toEqual([]);
      expect(result.skipped).toEqual([{ path: 'shared.js', reason: 'symlink-outside-root', detail: expect.stringContaining(outside) }]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('never enters skipDirs', async () => {
    await tree({ 'data/store.js': '', 'nested/data/x.js': '', 'a.js': '' });
    expect(await paths({ skipDirs: [path.join(root, 'data')] })).toEqual(['a.js', 'nested/data/x.js']);
  });

  it('ignores the temp files of atomic writes', async () => {
    await tree({
      [`.a.js${TEMP_MARKER}0123456789ab`]: '',
      [`src/.x${TEMP_MARKER}1.js`]: '',
      '.hidden.js': '',
      'src/a.js': '',
    });
    expect(await paths()).toEqual(['.hidden.js', 'src/a.js']);
    const leftovers = (await walk()).leftoverTempFiles.map((file) => path.relative(root, file)).sort();
    expect(leftovers).toEqual([`.a.js${TEMP_MARKER}0123456789ab`, path.join('src', `.x${TEMP_MARKER}1.js`)]);
  });

  // Root reads any folder, so an unreadable one can only be produced as another user.
  it.skipIf(isRoot)('reports a folder it cannot read as unreadable and goes on', async () => {
    await tree({ 'locked/a.js': '', 'b.js': '' });
    await chmod(path.join(root, 'locked'), 0o000);
    try {
      const result = await walk();
      expect(result.files.map((file) => file.path)).toEqual(['b.js']);
      expect(result.skipped).toEqual([{ path: 'locked', reason: 'unreadable', detail: expect.any(String) }]);
    } finally {
      await chmod(path.join(root, 'locked'), 0o755);
    }
  });

  it('reports a root that does not exist as unreadable', async () => {
    const result = await walkTree({ root: path.join(root, 'missing'), include: [], exclude: [], maxFileSizeBytes: 10 });
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([{ path: '.', reason: 'unreadable', detail: expect.any(String) }]);
  });
});
