import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/pipeline/run-command.js';

describe('runCommand', () => {
  it('reports success, failure and output', async () => {
    expect(await runCommand('echo hello', tmpdir(), 10_000)).toMatchObject({ ok: true, exitCode: 0, timedOut: false, outputTail: 'hello\n' });
    expect(await runCommand('echo oops >&2; exit 3', tmpdir(), 10_000)).toMatchObject({ ok: false, exitCode: 3, outputTail: 'oops\n' });
  });

  it('kills the whole process group on timeout', async () => {
    const started = Date.now();
    const result = await runCommand('sleep 30 & sleep 30; echo never', tmpdir(), 300);
    expect(result).toMatchObject({ ok: false, timedOut: true });
    expect(result.outputTail).not.toContain('never');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps only the tail of long output', async () => {
    const result = await runCommand("yes x | head -c 100000", tmpdir(), 10_000);
    expect(result.outputTail.length).toBe(4000);
  });
});
