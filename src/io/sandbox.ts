import { execFile } from 'node:child_process';
import { access, constants, lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CommandLaunch } from './run-command.js';

const run = promisify(execFile);

/** Resource limits of one sandboxed command (wall time is the command's own timeoutMs). */
export interface SandboxLimits {
  readonly cpuSeconds: number;
  /** Address space (RLIMIT_AS): Node reserves a lot of it, so this is generous. */
  readonly memoryBytes: number;
  /** Largest file the command may write (RLIMIT_FSIZE). */
  readonly fileSizeBytes: number;
  readonly openFiles: number;
  /** Output after which the command is killed. */
  readonly maxOutputBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  cpuSeconds: 600,
  memoryBytes: 4 * 1024 ** 3,
  fileSizeBytes: 256 * 1024 ** 2,
  openFiles: 1024,
  maxOutputBytes: 16 * 1024 ** 2,
});

/** A working sandbox: bubblewrap, prlimit, and how the host's root folders are mirrored read-only. */
export interface Sandbox {
  readonly bwrap: string;
  readonly prlimit: string;
  /** bwrap arguments that mirror /usr, /etc and the /bin, /lib... folders (or their /usr symlinks). */
  readonly systemArgs: readonly string[];
  readonly limits: SandboxLimits;
}

/**
 * How repository commands (`.roach.yml` validation commands, the test command) are run in a crawl:
 * - `skip`: not at all (service mode without the project's opt-in, or no sandbox); `reason` says why.
 * - `host`: directly, as the embedded CLI does on the user's own repository, with exactly `env`.
 * - `sandbox`: inside bubblewrap, see {@link sandboxLaunch}.
 */
export type CommandPolicy =
  | { readonly mode: 'skip'; readonly reason: string }
  | { readonly mode: 'host'; readonly env: Readonly<Record<string, string>> }
  | { readonly mode: 'sandbox'; readonly sandbox: Sandbox };

/** Everything a sandboxed command sees of an environment: nothing of the service's. */
export const SANDBOX_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/tmp/home',
  LANG: 'C.UTF-8',
  CI: 'true',
});

/** Fixed places, not $PATH: which program isolates untrusted code is not the environment's choice. */
const BWRAP_PATHS = ['/usr/bin/bwrap', '/usr/local/bin/bwrap'];
const PRLIMIT_PATHS = ['/usr/bin/prlimit', '/bin/prlimit'];
/** Top-level system folders a shell and its tools need; on merged-/usr systems most are symlinks. */
const SYSTEM_DIRS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

async function firstExecutable(candidates: readonly string[]): Promise<string | null> {
  for (const candidate of candidates) {
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return null;
}

async function systemArgs(): Promise<string[]> {
  const args = ['--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc'];
  for (const dir of SYSTEM_DIRS) {
    const info = await lstat(dir).catch(() => null);
    if (!info) continue;
    if (info.isSymbolicLink()) args.push('--symlink', await readlink(dir), dir);
    else if (info.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  return args;
}

/**
 * Finds bubblewrap and prlimit and checks that a namespace can really be made here (containers
 * often forbid it). Answers the sandbox, or why there is none, in words an operator can act on.
 */
export async function findSandbox(limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS, bwrapPaths: readonly string[] = BWRAP_PATHS): Promise<{ ok: true; sandbox: Sandbox } | { ok: false; reason: string }> {
  const bwrap = await firstExecutable(bwrapPaths);
  if (!bwrap) return { ok: false, reason: `bubblewrap is not installed (looked for ${bwrapPaths.join(', ')}; on Debian: apt-get install bubblewrap)` };
  const prlimit = await firstExecutable(PRLIMIT_PATHS);
  if (!prlimit) return { ok: false, reason: `prlimit (util-linux) is not installed (looked for ${PRLIMIT_PATHS.join(', ')})` };
  const sandbox: Sandbox = { bwrap, prlimit, systemArgs: await systemArgs(), limits };
  try {
    await run(bwrap, [...namespaceArgs(sandbox), '--', '/bin/sh', '-c', 'true'], { timeout: 10_000, env: {} });
  } catch (error) {
    const detail = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    return { ok: false, reason: `bubblewrap cannot create namespaces here (${detail}); allow user or mount namespaces for the worker` };
  }
  return { ok: true, sandbox };
}

function namespaceArgs(sandbox: Sandbox): string[] {
  return [
    // New user, pid, network, ipc, uts and cgroup namespaces: no network but a fresh loopback.
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    ...sandbox.systemArgs,
    '--proc', '/proc',
    '--dev', '/dev',
    '--tmpfs', '/tmp',
  ];
}

/**
 * The dependency folders of a copy that may be mounted into the sandbox: real folders inside the
 * project. A repository can make `node_modules` a symlink to anywhere (`/`, another tenant's
 * checkout); mounting that would show the sandbox whatever it points at, so such links are left
 * out (they dangle inside the sandbox).
 */
export async function mountableDirs(root: string, dirs: readonly string[]): Promise<string[]> {
  const realRoot = await realpath(root);
  const out: string[] = [];
  for (const dir of dirs) {
    const info = await lstat(dir).catch(() => null);
    const real = await realpath(dir).catch(() => null);
    if (info?.isDirectory() && real && real.startsWith(realRoot + path.sep)) out.push(dir);
  }
  return out;
}

/**
 * The launch of one command in the sandbox: a scrubbed environment ({@link SANDBOX_ENV}), a
 * filesystem of the read-only system folders, an empty /tmp with the home folder, the command's own
 * working copy (writable) and the dependency folders the copy links to (read-only), no network,
 * and CPU, memory, file size and open-file limits. bwrap dies with its parent and takes the
 * command's whole pid namespace with it.
 */
export function sandboxLaunch(sandbox: Sandbox, copyDir: string, linkedDirs: readonly string[], env: Readonly<Record<string, string>> = {}): CommandLaunch {
  const { limits } = sandbox;
  return {
    wrapper: [
      sandbox.bwrap,
      ...namespaceArgs(sandbox),
      ...Object.entries({ ...SANDBOX_ENV, ...env }).flatMap(([name, value]) => ['--setenv', name, value]),
      '--dir', SANDBOX_ENV.HOME as string,
      ...linkedDirs.flatMap((dir) => ['--ro-bind', dir, dir]),
      '--bind', copyDir, copyDir,
      '--chdir', copyDir,
      '--',
      sandbox.prlimit,
      `--cpu=${limits.cpuSeconds}`,
      `--as=${limits.memoryBytes}`,
      `--fsize=${limits.fileSizeBytes}`,
      `--nofile=${limits.openFiles}`,
      '--',
    ],
    env: {},
    maxOutputBytes: limits.maxOutputBytes,
  };
}
