import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const ROACH_BIN = path.join(REPO_ROOT, 'bin', 'roach.js');

const made: string[] = [];

/** A fresh temporary folder, removed by `cleanupTemp`. */
export async function tempDir(prefix = 'roach-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Copies a fixture project into a temporary folder, so tests never change the fixture itself. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await tempDir(`roach-${name}-`);
  await cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export async function cleanupTemp(): Promise<void> {
  while (made.length > 0) {
    const dir = made.pop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command and collects its output (no shell). */
export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the built `roach` CLI (npm test builds before running vitest). */
export function roach(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return run(process.execPath, [ROACH_BIN, ...args], options);
}

/** Writes files (project-relative path -> content) under `root`, making parent folders as needed. */
export async function writeTree(root: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** A new temporary folder (removed by cleanupTemp) holding `files`: the usual small project of a test. */
export async function tempTree(prefix: string, files: Readonly<Record<string, string>>): Promise<string> {
  const root = await tempDir(prefix);
  await writeTree(root, files);
  return root;
}
