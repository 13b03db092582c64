import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { RoachError } from '../domain/errors.js';

const exec = promisify(execFile);

/** Runs git in `cwd`; a failure (not a repository, unknown ref) becomes CR_ERR_GIT naming the command. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await exec('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new RoachError('CR_ERR_GIT', `git ${args.join(' ')} failed in ${cwd}: ${stderr || (error as Error).message}`, { args: [...args] });
  }
}

/**
 * The commit a branch's changes are measured against: the merge-base of HEAD and `ref` (so a pull
 * request is compared with where it forked), or `ref` itself when HEAD is unrelated to it.
 */
export async function baseCommit(cwd: string, ref: string): Promise<string> {
  const target = (await git(cwd, ['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  return (await git(cwd, ['merge-base', 'HEAD', target]).catch(() => target)).trim();
}

/** Files under `cwd` that differ from `commit`: committed since, staged, unstaged or untracked. Paths relative to `cwd`. */
export async function changedFilesSince(cwd: string, commit: string): Promise<Set<string>> {
  const changed = await git(cwd, ['diff', '--name-only', '--relative', '--no-renames', commit]);
  const untracked = await git(cwd, ['ls-files', '--others', '--exclude-standard']);
  return new Set([...changed.split('\n'), ...untracked.split('\n')].map((line) => line.trim()).filter(Boolean));
}

/** Writes the tree of `commit` (the part under `cwd`) into `dest`. */
export async function extractTree(cwd: string, commit: string, dest: string): Promise<void> {
  const prefix = (await git(cwd, ['rev-parse', '--show-prefix'])).trim();
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', prefix ? `${commit}:${prefix}` : commit], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let stderr = '';
    archive.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    tar.on('error', reject);
    archive.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new RoachError('CR_ERR_GIT', `Extracting ${commit} failed: ${stderr.trim()}`))));
  });
}
