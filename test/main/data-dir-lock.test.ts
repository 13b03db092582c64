import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/main/data-dir-lock.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

async function plantLock(dataDir: string, owner: { pid: number; host: string }): Promise<void> {
  await mkdir(path.join(dataDir, 'roach.lock'), { recursive: true });
  await writeFile(path.join(dataDir, 'roach.lock', 'owner.json'), JSON.stringify({ ...owner, startedAt: '2026-01-01T00:00:00Z' }));
}

/** A pid that surely belongs to no running process: a child that has already exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.on('exit', () => resolve(child.pid ?? 999_999));
  });
}

describe('data directory lock', () => {
  it('is exclusive while held and free again after release', async () => {
    const dir = await tempDir();
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toMatchObject({ code: 'CR_ERR_DATA_DIR_LOCKED', message: expect.stringContaining(`process ${process.pid}`) });
    await release();
    const again = await lockDataDir(dir);
    await again();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over at once from a process that died holding it', async () => {
    const dir = await tempDir();
    await plantLock(dir, { pid: await deadPid(), host: hostname() });
    const release = await lockDataDir(dir);
    await release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over an empty or unreadable lock left half-removed', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'roach.lock'));
    await writeFile(path.join(dir, 'roach.lock', 'owner.json'), '{not json');
    const release = await lockDataDir(dir);
    await release();
  });

  it('never takes a lock held by a live process or by another host', async () => {
    const live = await tempDir();
    await plantLock(live, { pid: process.ppid, host: hostname() });
    await expect(lockDataDir(live)).rejects.toMatchObject({ code: 'CR_ERR_DATA_DIR_LOCKED' });
    const remote = await tempDir();
    await plantLock(remote, { pid: await deadPid(), host: 'build-agent-7' });
    await expect(lockDataDir(remote)).rejects.toMatchObject({ code: 'CR_ERR_DATA_DIR_LOCKED', message: expect.stringContaining('on host build-agent-7') });
  });
});
