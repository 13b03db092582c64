import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { commandEnvironment } from '../../src/config/command-env.js';
import { runCommand } from '../../src/io/run-command.js';

const host = { wrapper: [], env: { PATH: '/usr/local/bin:/usr/bin:/bin' } };

describe('runCommand', () => {
  it('reports success, failure and output', async () => {
    expect(await runCommand('echo hello', tmpdir(), 10_000, host)).toMatchObject({ ok: true, exitCode: 0, timedOut: false, outputTail: 'hello\n' });
    expect(await runCommand('echo oops >&2; exit 3', tmpdir(), 10_000, host)).toMatchObject({ ok: false, exitCode: 3, outputTail: 'oops\n' });
  });

  it('kills the whole process group on timeout', async () => {
    const started = Date.now();
    const result = await runCommand('sleep 30 & sleep 30; echo never', tmpdir(), 300, host);
    expect(result).toMatchObject({ ok: false, timedOut: true });
    expect(result.outputTail).not.toContain('never');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps only the tail of long output', async () => {
    const result = await runCommand('yes x | head -c 100000', tmpdir(), 10_000, host);
    expect(result.outputTail.length).toBe(4000);
  });

  it('kills a command that prints more than its output limit', async () => {
    const started = Date.now();
    const result = await runCommand('yes flood', tmpdir(), 20_000, { ...host, maxOutputBytes: 100_000 });
    expect(result).toMatchObject({ ok: false, timedOut: false, outputLimited: true });
    expect(result.outputTail).toContain('output passed the limit of 100000 bytes');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gives the command exactly the environment it is handed, nothing of this process', async () => {
    const result = await runCommand('env', tmpdir(), 10_000, { wrapper: [], env: { PATH: '/usr/bin:/bin', ONLY_THIS: 'yes' } });
    const names = result.outputTail.trim().split('\n').map((line) => line.split('=')[0]);
    expect(names).toContain('ONLY_THIS');
    expect(names.filter((name) => !['PATH', 'ONLY_THIS', 'PWD', 'SHLVL', '_', 'OLDPWD'].includes(name ?? ''))).toEqual([]);
  });
});

describe('commandEnvironment (embedded CLI)', () => {
  const source = { PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', DATABASE_URL: 'postgres://u:p@h/db', GITHUB_TOKEN: 'ghp_x', ROACH_SECRET_KEY: 'k' };

  it('is scrubbed to tools, home and locale by default, with CI set', () => {
    expect(commandEnvironment(false, source)).toEqual({ PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', CI: 'true' });
  });

  it('is the whole environment when the user opts in (--inherit-env)', () => {
    expect(commandEnvironment(true, source)).toEqual({ ...source, CI: 'true' });
  });
});
