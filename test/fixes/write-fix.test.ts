import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoachError } from '../../src/domain/errors.js';
import { roachRejection } from '../helpers/errors.js';
import { contentHash } from '../../src/domain/fingerprint.js';
import { TEMP_MARKER } from '../../src/io/atomic-write.js';
import { writeChange } from '../../src/fixes/write-fix.js';
import type { FileChange } from '../../src/fixes/write-fix.js';

let outer: string;
let root: string;
beforeEach(async () => {
  outer = await mkdtemp(path.join(os.tmpdir(), 'roach-write-fix-'));
  root = path.join(outer, 'project');
  await mkdir(path.join(root, 'src'), { recursive: true });
});
afterEach(async () => {
  await rm(outer, { recursive: true, force: true });
});

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Writes `before` to the file and describes a change of it to `after`. */
async function prepared(relative: string, before: string, after: string): Promise<FileChange> {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, before);
  return { path: relative, expectedSha256: contentHash(encode(before)), newBytes: encode(after), restoreBytes: encode(before) };
}

async function read(relative: string): Promise<string> {
  return readFile(path.join(root, relative), 'utf8');
}

async function rejection(promise: Promise<unknown>): Promise<RoachError> {
  return roachRejection(promise);
}

describe('writeChange', () => {
  it('writes every file of a change', async () => {
    const changes = [await prepared('src/a.js', 'eval(x);\n', 'JSON.parse(x);\n'), await prepared('src/deep/b.ts', 'a == b\n', 'a === b\n')];
    await writeChange(root, changes);
    expect(await read('src/a.js')).toBe('JSON.parse(x);\n');
    expect(await read('src/deep/b.ts')).toBe('a === b\n');
    expect((await readdir(path.join(root, 'src'))).filter((name) => name.includes(TEMP_MARKER))).toEqual([]);
  });

  it('refuses to write through a symlink that points outside the project', async () => {
    await writeFile(path.join(outer, 'elsewhere.js'), 'a');
    await symlink(path.join(outer, 'elsewhere.js'), path.join(root, 'src', 'link.js'));
    const error = await rejection(writeChange(root, [{ path: 'src/link.js', expectedSha256: contentHash(encode('a')), newBytes: encode('b'), restoreBytes: encode('a') }]));
    expect(error.code).toBe('CR_ERR_APPLY_FAILED');
    expect(error.message).toMatch(/outside the project root/);
    expect(await readFile(path.join(outer, 'elsewhere.js'), 'utf8')).toBe('a');
  });

  it('does nothing for an empty change', async () => {
    await expect(writeChange(root, [])).resolves.toBeUndefined();
  });

  it('refuses with CR_ERR_FILE_CHANGED and writes nothing when a file changed since the fix was made', async () => {
    const first = await prepared('src/a.js', 'one\n', 'ONE\n');
    const second = await prepared('src/b.js', 'two\n', 'TWO\n');
    await writeFile(path.join(root, 'src/b.js'), 'two, edited by someone\n');
    const error = await rejection(writeChange(root, [first, second]));
    expect(error.code).toBe('CR_ERR_FILE_CHANGED');
    expect(error.details).toEqual({ file: 'src/b.js' });
    expect(await read('src/a.js')).toBe('one\n');
    expect(await read('src/b.js')).toBe('two, edited by someone\n');
  });

  it('refuses with CR_ERR_FILE_CHANGED and writes nothing when a file was deleted', async () => {
    const first = await prepared('src/a.js', 'one\n', 'ONE\n');
    const second = await prepared('src/b.js', 'two\n', 'TWO\n');
    await rm(path.join(root, 'src/b.js'));
    await expect(writeChange(root, [first, second])).rejects.toMatchObject({ code: 'CR_ERR_FILE_CHANGED', details: { file: 'src/b.js' } });
    expect(await read('src/a.js')).toBe('one\n');
  });

  it('refuses with CR_ERR_FILE_CHANGED when a file became a directory', async () => {
    const first = await prepared('src/a.js', 'one\n', 'ONE\n');
    const second = await prepared('src/b.js', 'two\n', 'TWO\n');
    await rm(path.join(root, 'src/b.js'));
    await mkdir(path.join(root, 'src/b.js'));
    await expect(writeChange(root, [first, second])).rejects.toMatchObject({ code: 'CR_ERR_FILE_CHANGED' });
    expect(await read('src/a.js')).toBe('one\n');
  });

  it('restores the files already written and throws CR_ERR_APPLY_FAILED when a later write fails', async () => {
    const first = await prepared('src/a.js', 'one\n', 'ONE\n');
    // The check passes (the file exists and is unchanged), but writing it fails: the temp sibling
    // writeFileAtomic needs gets a name longer than the file system allows. This fails as root too,
    // where permission tricks do not.
    const longName = `src/${'b'.repeat(240)}.js`;
    const second = await prepared(longName, 'two\n', 'TWO\n');
    const third = await prepared('src/c.js', 'three\n', 'THREE\n');
    const error = await rejection(writeChange(root, [first, second, third]));
    expect(error.code).toBe('CR_ERR_APPLY_FAILED');
    expect(error.cause).toMatchObject({ code: 'ENAMETOOLONG' });
    expect(error.message).toContain('Previous contents were restored');
    expect(await read('src/a.js')).toBe('one\n');
    expect(await read(longName)).toBe('two\n');
    expect(await read('src/c.js')).toBe('three\n');
    expect((await readdir(path.join(root, 'src'))).filter((name) => name.includes(TEMP_MARKER))).toEqual([]);
  });

  it('creates a file the change creates, and deletes it again when a later write fails', async () => {
    const created: FileChange = { path: '.env.example', expectedSha256: contentHash(encode('')), newBytes: encode('API_KEY=\n'), restoreBytes: encode(''), create: true };
    const longName = `src/${'b'.repeat(240)}.js`;
    const failing = await prepared(longName, 'two\n', 'TWO\n');
    const error = await rejection(writeChange(root, [created, failing]));
    expect(error.code).toBe('CR_ERR_APPLY_FAILED');
    expect(error.message).toContain('Previous contents were restored');
    await expect(readFile(path.join(root, '.env.example'))).rejects.toMatchObject({ code: 'ENOENT' });
    await writeChange(root, [created]);
    expect(await read('.env.example')).toBe('API_KEY=\n');
  });

  it('refuses to create a file that exists by now, and writes nothing', async () => {
    const source = await prepared('src/a.js', 'one\n', 'ONE\n');
    await writeFile(path.join(root, '.env.example'), 'MINE=1\n');
    const created: FileChange = { path: '.env.example', expectedSha256: contentHash(encode('')), newBytes: encode('API_KEY=\n'), restoreBytes: encode(''), create: true };
    const error = await rejection(writeChange(root, [source, created]));
    expect(error.code).toBe('CR_ERR_FILE_CHANGED');
    expect(error.message).toContain('.env.example exists now but did not when the fix was made');
    expect(await read('.env.example')).toBe('MINE=1\n');
    expect(await read('src/a.js')).toBe('one\n');
  });

  it('deletes a file a change removes (the rollback of a fix that created it), only when it holds what is expected', async () => {
    await writeFile(path.join(root, '.env.example'), 'API_KEY=\n');
    const remove: FileChange = { path: '.env.example', expectedSha256: contentHash(encode('API_KEY=\n')), newBytes: encode(''), restoreBytes: encode('API_KEY=\n'), remove: true };
    await writeFile(path.join(root, '.env.example'), 'API_KEY=\nOTHER=\n');
    expect((await rejection(writeChange(root, [remove]))).code).toBe('CR_ERR_FILE_CHANGED');
    await writeFile(path.join(root, '.env.example'), 'API_KEY=\n');
    await writeChange(root, [remove]);
    await expect(readFile(path.join(root, '.env.example'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('puts back the restore bytes it was given, not whatever it read', async () => {
    const first = { ...(await prepared('src/a.js', 'one\n', 'ONE\n')), restoreBytes: encode('restored\n') };
    const second = await prepared(`src/${'b'.repeat(240)}.js`, 'two\n', 'TWO\n');
    await expect(writeChange(root, [first, second])).rejects.toMatchObject({ code: 'CR_ERR_APPLY_FAILED' });
    expect(await read('src/a.js')).toBe('restored\n');
  });

  it.each([
    { name: 'a parent-relative path', relative: '../outside.js' },
    { name: 'a path climbing out through a folder', relative: 'src/../../outside.js' },
    { name: 'a sibling folder sharing the root as prefix', relative: '../project-evil/outside.js' },
    { name: 'an absolute path', relative: '<outer>/outside.js' },
  ])('refuses $name outside the root and writes nothing', async ({ relative }) => {
    const inside = await prepared('src/a.js', 'one\n', 'ONE\n');
    const resolved = relative.replace('<outer>', outer);
    const outside = path.resolve(root, resolved);
    await mkdir(path.dirname(outside), { recursive: true });
    await writeFile(outside, 'outside\n');
    const escaping: FileChange = { path: resolved, expectedSha256: contentHash(encode('outside\n')), newBytes: encode('pwned\n'), restoreBytes: encode('outside\n') };
    const error = await rejection(writeChange(root, [inside, escaping]));
    expect(error.code).toBe('CR_ERR_APPLY_FAILED');
    expect(error.message).toContain('outside the project root');
    expect(await readFile(outside, 'utf8')).toBe('outside\n');
    expect(await read('src/a.js')).toBe('one\n');
  });

  it.each([
    { name: 'a trailing separator', rootOf: (dir: string) => `${dir}${path.sep}` },
    { name: 'a relative root', rootOf: (dir: string) => path.relative(process.cwd(), dir) },
    { name: 'a root with . segments', rootOf: (dir: string) => path.join(dir, 'src', '..') + `${path.sep}.` },
  ])('accepts a root given with $name', async ({ rootOf }) => {
    const change = await prepared('src/a.js', 'one\n', 'ONE\n');
    await writeChange(rootOf(root), [change]);
    expect(await read('src/a.js')).toBe('ONE\n');
  });
});
