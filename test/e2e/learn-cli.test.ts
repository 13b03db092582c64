import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureRepo } from '../helpers/git-repo.js';
import { cleanupTemp, roach, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

/** A Python project whose authors add a timeout to requests calls, one file per commit. */
async function pythonProject(): Promise<string> {
  const dir = await tempDir('roach-learn-cli-');
  const repo = await fixtureRepo(dir);
  await repo.commit('initial', {
    'app/feeds.py': 'import requests\n\ndef feed(url):\n    return requests.get(url)\n',
    'app/users.py': 'import requests\n\ndef user(endpoint):\n    r = requests.get(endpoint)\n    return r.json()\n',
  });
  await repo.commit('feeds: time out', { 'app/feeds.py': 'import requests\n\ndef feed(url):\n    return requests.get(url, timeout=10)\n' });
  await repo.commit('users: time out', { 'app/users.py': 'import requests\n\ndef user(endpoint):\n    r = requests.get(endpoint, timeout=10)\n    return r.json()\n' });
  return dir;
}

describe('roach learn', () => {
  it('learns from history as JSON, exports rule files that `roach rules test` passes, and refuses bad input', async () => {
    const dir = await pythonProject();
    const learned = await roach(['learn', '--dir', dir, '--from-history', '--json']);
    expect(learned.code).toBe(0);
    const body = JSON.parse(learned.stdout) as { minedCommits: number; learning: { templates: { ruleId: string; pattern: string; rewrite: string; examples: number }[] } };
    expect(body.minedCommits).toBe(3);
    expect(body.learning.templates.map((t) => [t.ruleId, t.pattern, t.rewrite, t.examples])).toEqual([
      ['py/no-requests-without-timeout', 'requests.get($A)', 'requests.get($A, timeout=10)', 2],
    ]);

    const out = path.join(dir, 'learned');
    const exported = await roach(['learn', '--dir', dir, '--export', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('Exported 1 rule file(s)');
    const tested = await roach(['rules', 'test', out]);
    expect([tested.code, tested.stdout.trim()]).toEqual([0, '4 Validated, 0 Noisy, 0 Missing, 0 Wrong, 0 Error']);

    const noMode = await roach(['learn', '--dir', dir]);
    expect([noMode.code, noMode.stderr]).toEqual([2, expect.stringContaining('CR_ERR_USAGE')]);
    const badRef = await roach(['learn', '--dir', dir, '--from-history', '--since', 'v9.9.9']);
    expect([badRef.code, badRef.stderr]).toEqual([2, expect.stringMatching(/v9\.9\.9.*CR_ERR_GIT/)]);
    const intoFile = await roach(['learn', '--dir', dir, '--export', path.join(dir, 'app', 'feeds.py')]);
    expect([intoFile.code, intoFile.stderr]).toEqual([2, expect.stringContaining('CR_ERR_NOT_A_DIRECTORY')]);
    const badCount = await roach(['learn', '--dir', dir, '--from-history', '--max-commits', 'lots']);
    expect([badCount.code, badCount.stderr]).toEqual([2, expect.stringContaining('--max-commits')]);
    const notRepo = await roach(['learn', '--dir', await tempDir('roach-not-git-'), '--from-history']);
    expect([notRepo.code, notRepo.stderr]).toEqual([2, expect.stringContaining('CR_ERR_GIT')]);
  });
});
