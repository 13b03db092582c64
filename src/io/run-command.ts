import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface CommandResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** True when the command printed more than its output limit and was killed for it. */
  readonly outputLimited: boolean;
  /** The last part of stdout+stderr, enough to see why it failed. */
  readonly outputTail: string;
  readonly durationMs: number;
}

/**
 * How a command is started: the program and arguments that wrap `/bin/sh -c <command>` (a sandbox,
 * or none) and the complete environment the child sees. Nothing of this process's environment is
 * passed unless the caller put it here.
 */
export interface CommandLaunch {
  /** Argument vector placed before `/bin/sh -c <command>`; empty runs the shell directly. */
  readonly wrapper: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Bytes of output after which the command is killed (a flood cannot fill memory or logs). */
  readonly maxOutputBytes?: number;
}

const TAIL_CHARS = 4000;

/**
 * Runs a shell command from the project's config in `cwd`, with exactly `launch.env`. On timeout or
 * past the output limit the whole process group is killed, so a hanging test runner cannot outlive
 * the check.
 */
export function runCommand(command: string, cwd: string, timeoutMs: number, launch: CommandLaunch): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = '';
    let outputBytes = 0;
    let timedOut = false;
    let outputLimited = false;
    const argv = [...launch.wrapper, '/bin/sh', '-c', command];
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...launch.env } });
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already (it exited between the check and the kill): kill the child alone.
        child.kill('SIGKILL');
      }
    };
    const keep = (chunk: Buffer): void => {
      outputBytes += chunk.length;
      output = (output + chunk.toString('utf8')).slice(-TAIL_CHARS);
      if (launch.maxOutputBytes !== undefined && outputBytes > launch.maxOutputBytes && !outputLimited) {
        outputLimited = true;
        killGroup();
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const finish = (exitCode: number | null, extra = ''): void => {
      clearTimeout(timer);
      const limitNote = outputLimited ? `\n[killed: output passed the limit of ${launch.maxOutputBytes} bytes]` : '';
      resolve({
        ok: exitCode === 0 && !timedOut && !outputLimited,
        exitCode,
        timedOut,
        outputLimited,
        outputTail: (output + extra + limitNote).slice(-TAIL_CHARS),
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => finish(null, `\n${error.message}`));
    child.on('close', (code) => finish(code));
  });
}
