import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/config/environment.js';
import { openSecretBox } from '../../src/main/secret-key.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

describe('the secret key', () => {
  it('is generated once in the embedded data directory with mode 0600 and reused', async () => {
    const dir = await tempDir('roach-key-');
    const first = await openSecretBox(loadEnvironment({}), dir);
    const file = path.join(dir, 'secret.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toHaveLength(32);
    const second = await openSecretBox(loadEnvironment({}), dir);
    expect(second?.open(first?.seal('kept') as string)).toBe('kept');
  });

  it('comes from ROACH_SECRET_KEY in the service mode, with previous keys for rotation; none configured: no box', async () => {
    const old = randomBytes(32);
    const current = randomBytes(32);
    const env = loadEnvironment({ ROACH_SECRET_KEY: current.toString('base64'), ROACH_SECRET_KEYS_PREVIOUS: old.toString('base64') });
    const box = await openSecretBox(env, null);
    const oldBox = await openSecretBox(loadEnvironment({ ROACH_SECRET_KEY: old.toString('base64') }), null);
    expect(box?.open(oldBox?.seal('before rotation') as string)).toBe('before rotation');
    expect(await openSecretBox(loadEnvironment({}), null)).toBeNull();
    await expect(openSecretBox(loadEnvironment({ ROACH_SECRET_KEY: 'short' }), null)).rejects.toThrow(/ROACH_SECRET_KEY must be 32 bytes/);
  });
});
