import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/io/run-command.js';
import { DEFAULT_SANDBOX_LIMITS, findSandbox, mountableDirs, sandboxLaunch } from '../../src/io/sandbox.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const found = await findSandbox({ ...DEFAULT_SANDBOX_LIMITS, cpuSeconds: 7, fileSizeBytes: 1024 * 1024, maxOutputBytes: 200_000 });

describe('findSandbox', () => {
  it('refuses, saying what to install, when bubblewrap is missing', async () => {
    expect(await findSandbox(DEFAULT_SANDBOX_LIMITS, ['/nonexistent/bwrap'])).toEqual({
      ok: false,
      reason: 'bubblewrap is not installed (looked for /nonexistent/bwrap; on Debian: apt-get install bubblewrap)',
    });
  });
});

describe('mountableDirs', () => {
  it('keeps real dependency folders inside the project and drops links that lead out of it', async () => {
    const project = await tempDir('roach-sbx-mount-');
    const outside = await tempDir('roach-sbx-elsewhere-');
    await mkdir(path.join(project, 'node_modules'));
    await mkdir(path.join(project, 'a'));
    await symlink('/', path.join(project, 'a', 'node_modules'));
    await mkdir(path.join(project, 'b'));
    await symlink(outside, path.join(project, 'b', 'node_modules'));
    const dirs = ['node_modules', 'a/node_modules', 'b/node_modules'].map((d) => path.join(project, d));
    expect(await mountableDirs(project, dirs)).toEqual([path.join(project, 'node_modules')]);
  });
});

// With CI set a missing sandbox fails these tests rather than skipping them.
describe.skipIf(!found.ok && !process.env.CI)('commands in the sandbox', () => {
  const sandbox = () => {
    if (!found.ok) throw new Error(`no sandbox: ${found.reason}`);
    return found.sandbox;
  };

  it('see only their copy (writable), linked dependencies (read-only) and system folders', async () => {
    const project = await tempDir('roach-sbx-project-');
    await mkdir(path.join(project, 'node_modules', 'dep'), { recursive: true });
    await writeFile(path.join(project, 'node_modules', 'dep', 'index.js'), 'module.exports = 42;\n');
    await writeFile(path.join(project, 'private.txt'), 'not in the copy\n');
    const copy = await tempDir('roach-sbx-copy-');
    await symlink(path.join(project, 'node_modules'), path.join(copy, 'node_modules'));
    const launch = sandboxLaunch(sandbox(), copy, [path.join(project, 'node_modules')]);
    const result = await runCommand(
      [
        'echo made > out.txt',
        'cat node_modules/dep/index.js',
        `echo tamper > node_modules/dep/index.js || echo DEPS-READ-ONLY`,
        `cat ${project}/private.txt || echo PROJECT-HIDDEN`,
        'touch /usr/x 2>/dev/null || echo SYSTEM-READ-ONLY',
      ].join('; '),
      copy,
      30_000,
      launch,
    );
    expect(result.outputTail).toContain('module.exports = 42;');
    expect(result.outputTail).toContain('DEPS-READ-ONLY');
    expect(result.outputTail).toContain('PROJECT-HIDDEN');
    expect(result.outputTail).not.toContain('not in the copy');
    expect(result.outputTail).toContain('SYSTEM-READ-ONLY');
    expect(await readFile(path.join(copy, 'out.txt'), 'utf8')).toBe('made\n');
    expect(await readFile(path.join(project, 'node_modules', 'dep', 'index.js'), 'utf8')).toBe('module.exports = 42;\n');
  }, 30_000);

  it('run under CPU, memory, file size and output limits', async () => {
    const copy = await tempDir('roach-sbx-limits-');
    const launch = sandboxLaunch(sandbox(), copy, []);
    const limits = await runCommand('ulimit -t; ulimit -v; ulimit -f; ulimit -n', copy, 30_000, launch);
    // ulimit -v and -f count KiB and 512-byte blocks in dash: 4 GiB and 1 MiB.
    expect(limits.outputTail.trim().split('\n')).toEqual(['7', String(4 * 1024 * 1024), '2048', '1024']);
    const big = await runCommand('head -c 2000000 /dev/zero > big.bin', copy, 30_000, launch);
    expect(big.ok).toBe(false);
    const flood = await runCommand('yes flood', copy, 30_000, launch);
    expect(flood).toMatchObject({ ok: false, outputLimited: true, timedOut: false });
  }, 60_000);

  it('are killed with everything they started when they time out', async () => {
    const copy = await tempDir('roach-sbx-timeout-');
    const started = Date.now();
    const result = await runCommand('(sleep 5; echo late > late.txt) & sleep 30; echo never', copy, 500, sandboxLaunch(sandbox(), copy, []));
    expect(result).toMatchObject({ ok: false, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await expect(readFile(path.join(copy, 'late.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 30_000);
});
