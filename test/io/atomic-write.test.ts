import { chmod, chown, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_MARKER, isRoachTempFile, writeFileAtomic } from '../../src/io/atomic-write.js';

const isRoot = process.getuid?.() === 0;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'roach-atomic-'));
});
afterEach(async () => {
  // A test may leave a read-only directory behind when it fails half way.
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

async function tempFilesIn(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.includes(TEMP_MARKER));
}

describe('writeFileAtomic', () => {
  it('replaces the content of an existing file', async () => {
    const file = path.join(dir, 'a.js');
    await writeFile(file, 'old content that is longer than the new one\n');
    await writeFileAtomic(file, bytes('new\n'));
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['a.js']);
  });

  it('creates a file that does not exist yet', async () => {
    const file = path.join(dir, 'new.js');
    await writeFileAtomic(file, bytes('created\n'));
    expect(await readFile(file, 'utf8')).toBe('created\n');
    expect(await readdir(dir)).toEqual(['new.js']);
  });

  it('writes empty content and exact bytes', async () => {
    const file = path.join(dir, 'a.js');
    await writeFile(file, 'x');
    await writeFileAtomic(file, new Uint8Array(0));
    expect((await readFile(file)).length).toBe(0);
    const raw = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a]);
    await writeFileAtomic(file, raw);
    expect([...(await readFile(file))]).toEqual([...raw]);
  });

  it.each([0o755, 0o600, 0o640, 0o444])('keeps the file mode %o', async (mode) => {
    const file = path.join(dir, 'script.js');
    await writeFile(file, 'old');
    await chmod(file, mode);
    await writeFileAtomic(file, bytes('new'));
    expect((await stat(file)).mode & 0o7777).toBe(mode);
    expect(await readFile(file, 'utf8')).toBe('new');
  });

  it.runIf(isRoot)('keeps the owner of the file (when allowed to, as root)', async () => {
    const file = path.join(dir, 'owned.js');
    await writeFile(file, 'old');
    await chown(file, 4321, 4322);
    await writeFileAtomic(file, bytes('new'));
    const info = await stat(file);
    expect([info.uid, info.gid]).toEqual([4321, 4322]);
  });

  it('writes through a symlink instead of replacing the link with a copy', async () => {
    await mkdir(path.join(dir, 'real'));
    const target = path.join(dir, 'real', 'target.js');
    const link = path.join(dir, 'link.js');
    await writeFile(target, 'old');
    await symlink(path.join('real', 'target.js'), link);
    await writeFileAtomic(link, bytes('new'));
    expect(await readlink(link)).toBe(path.join('real', 'target.js'));
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await tempFilesIn(dir)).toEqual([]);
    expect(await tempFilesIn(path.join(dir, 'real'))).toEqual([]);
  });

  it('leaves one complete version when two writes race', async () => {
    const file = path.join(dir, 'a.js');
    await writeFile(file, 'old');
    const first = 'first\n'.repeat(10_000);
    const second = 'second\n'.repeat(10_000);
    await Promise.all([writeFileAtomic(file, bytes(first)), writeFileAtomic(file, bytes(second))]);
    expect([first, second]).toContain(await readFile(file, 'utf8'));
    expect(await readdir(dir)).toEqual(['a.js']);
  });

  it('throws and leaves the original and no temp file when the target is a directory', async () => {
    const target = path.join(dir, 'folder');
    await mkdir(target);
    await writeFile(path.join(target, 'inside.js'), 'keep');
    await expect(writeFileAtomic(target, bytes('x'))).rejects.toThrow();
    expect((await stat(target)).isDirectory()).toBe(true);
    expect(await readFile(path.join(target, 'inside.js'), 'utf8')).toBe('keep');
    expect(await readdir(dir)).toEqual(['folder']);
  });

  it('throws and leaves the original intact when the parent is a file', async () => {
    const parent = path.join(dir, 'not-a-dir.js');
    await writeFile(parent, 'original');
    await expect(writeFileAtomic(path.join(parent, 'child.js'), bytes('x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await readFile(parent, 'utf8')).toBe('original');
    expect(await readdir(dir)).toEqual(['not-a-dir.js']);
  });

  // Root ignores directory permissions, so this failure can only be produced as another user; the
  // two tests above cover the same failure paths when running as root.
  it.skipIf(isRoot)('throws and leaves the original intact when the directory is not writable', async () => {
    const sub = path.join(dir, 'ro');
    await mkdir(sub);
    const file = path.join(sub, 'a.js');
    await writeFile(file, 'original');
    await chmod(sub, 0o555);
    try {
      await expect(writeFileAtomic(file, bytes('new'))).rejects.toMatchObject({ code: 'EACCES' });
      expect(await readFile(file, 'utf8')).toBe('original');
      expect(await readdir(sub)).toEqual(['a.js']);
    } finally {
      await chmod(sub, 0o755);
    }
  });
});

describe('isRoachTempFile', () => {
  it.each([
    { name: `.a.js${TEMP_MARKER}0123456789ab`, expected: true },
    { name: `.x${TEMP_MARKER}1.js`, expected: true },
    { name: `a.js${TEMP_MARKER}0123456789ab`, expected: false },
    { name: '.hidden.js', expected: false },
    { name: 'roach-tmp.js', expected: false },
  ])('$name -> $expected', ({ name, expected }) => {
    expect(isRoachTempFile(name)).toBe(expected);
  });

  it('recognises the names writeFileAtomic uses', async () => {
    // The only way to see the temp name is to catch it on disk: fail the rename by writing onto a folder.
    const target = path.join(dir, 'folder.js');
    await mkdir(target);
    const seen: string[] = [];
    const watcher = (await import('node:fs')).watch(dir, (_event, name) => {
      if (name) seen.push(name.toString());
    });
    try {
      await expect(writeFileAtomic(target, bytes('x'))).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      watcher.close();
    }
    const temps = seen.filter((name) => name !== 'folder.js');
    expect(temps.length).toBeGreaterThan(0);
    for (const name of temps) expect(isRoachTempFile(name)).toBe(true);
  });
});
