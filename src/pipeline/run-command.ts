import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface CommandResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** The last part of stdout+stderr, enough to see why it failed. */
  readonly outputTail: string;
  readonly durationMs: number;
}

const TAIL_CHARS = 4000;

/**
 * Runs a shell command from the project's config in `cwd`. On timeout the whole process group is
 * killed, so a hanging test runner cannot outlive the check.
 */
export function runCommand(command: string, cwd: string, timeoutMs: number): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-TAIL_CHARS);
    };
    const child = spawn('/bin/sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const finish = (exitCode: number | null, extra = ''): void => {
      clearTimeout(timer);
      resolve({
        ok: exitCode === 0 && !timedOut,
        exitCode,
        timedOut,
        outputTail: (output + extra).slice(-TAIL_CHARS),
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => finish(null, `\n${error.message}`));
    child.on('close', (code) => finish(code));
  });
}
