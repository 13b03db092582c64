import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRemote, maskGitOutput } from '../../src/git/remote.js';

// Issue 20 point 11: a failed clone reported only git's last stderr line ("and the repository exists."),
// which hides the cause.
describe('git clone failures', () => {
  let parent = '';
  beforeAll(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'roach-git-errors-'));
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it('reports all of git stderr, the cause included, and leaves nothing behind', async () => {
    const missing = path.join(parent, 'no-such-remote');
    const failure = await cloneRemote(`file://${missing}`, null, path.join(parent, 'clones'), { allowFile: true, outbound: { allow: [] } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CR_ERR_GIT' });
    const message = (failure as Error).message;
    expect(message).toContain(`'${missing}' does not appear to be a git repository`);
    expect(message).toContain('Could not read from remote repository');
    expect(message).toContain('the repository exists');
    expect(await readdir(path.join(parent, 'clones'))).toEqual([]);
  });

  it('masks credentials in URLs git prints and caps the length', () => {
    const masked = maskGitOutput("fatal: unable to access 'https://bot:ghp_SECRET123@example.com/a.git/': 403\nhint: see ssh://deploy:pw@host/x");
    expect(masked).not.toMatch(/ghp_SECRET123|deploy:pw/);
    expect(masked).toContain("'https://***@example.com/a.git/'");
    expect(masked).toContain('ssh://***@host/x');
    expect(masked.split('\n')).toHaveLength(2);
    expect(maskGitOutput('x'.repeat(20_000)).length).toBeLessThan(8_100);
  });
});
