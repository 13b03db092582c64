import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/pglite.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

async function sharedBuffers(dataDir: string, options?: Parameters<typeof openPglite>[1]): Promise<string | undefined> {
  const db = await openPglite(dataDir, options);
  try {
    return (await db.query<{ shared_buffers: string }>('SHOW shared_buffers'))[0]?.shared_buffers;
  } finally {
    await db.close();
  }
}

describe('openPglite', () => {
  it("keeps PostgreSQL's shared buffers unless asked for fewer, for that session only", async () => {
    const dataDir = path.join(await tempDir('roach-pglite-'), 'pgdata');
    expect(await sharedBuffers(dataDir)).toBe('128MB');
    expect(await sharedBuffers(dataDir, { sharedBuffersMiB: 16 })).toBe('16MB');
    expect(await sharedBuffers(dataDir)).toBe('128MB');
  }, 60_000);
});
