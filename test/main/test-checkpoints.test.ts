import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCheckpoints, pauseFile, reachedMarker } from '../../src/main/test-checkpoints.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('test checkpoints (fault tests pause crawl jobs at a phase)', () => {
  afterAll(cleanupTemp);

  it('announces a phase without waiting when no pause is set, and holds nothing', async () => {
    const dir = await tempDir();
    let held = 0;
    const checkpoints = createTestCheckpoints({ dir, hold: async (wait) => (held++, wait()) });
    await checkpoints.reach('recording-issues', '7', 1);
    expect(JSON.parse(await readFile(reachedMarker(dir, '7', 1, 'recording-issues'), 'utf8'))).toEqual({ pid: process.pid, jobId: '7', attempt: 1, phase: 'recording-issues' });
    expect(held).toBe(0);
  });

  it('waits at a paused phase, inside hold, until the pause file is removed', async () => {
    const dir = await tempDir();
    await writeFile(pauseFile(dir, 'writing-fixes'), '');
    const log: string[] = [];
    const checkpoints = createTestCheckpoints({
      dir,
      hold: async (wait) => {
        log.push('hold');
        await wait();
        log.push('resume');
      },
    });
    let done = false;
    const reaching = checkpoints.reach('writing-fixes', 'job:1', 2).then(() => (done = true));
    const marker = reachedMarker(dir, 'job:1', 2, 'writing-fixes');
    while (!(await exists(marker))) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    await rm(pauseFile(dir, 'writing-fixes'));
    await reaching;
    expect(log).toEqual(['hold', 'resume']);
  });

  it('a pause nobody releases fails the job with a message naming the file', async () => {
    const dir = await tempDir();
    await writeFile(pauseFile(dir, 'writing-fixes'), '');
    const checkpoints = createTestCheckpoints({ dir, hold: (wait) => wait(), maxWaitMs: 100 });
    await expect(checkpoints.reach('writing-fixes', '1', 1)).rejects.toThrow(/pause-writing-fixes was not removed within 100 ms/);
  });
});
