import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './project.js';

/** A real git repository in `dir` whose commits a test writes file by file. */
export interface FixtureRepo {
  readonly dir: string;
  /** Writes the files (path -> text) and commits them; returns the commit's sha. */
  commit(message: string, files: Readonly<Record<string, string>>): Promise<string>;
}

async function git(dir: string, args: readonly string[]): Promise<string> {
  const result = await run('git', args, { cwd: dir });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export async function fixtureRepo(dir: string): Promise<FixtureRepo> {
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['config', 'user.email', 'dev@example.test']);
  await git(dir, ['config', 'user.name', 'Fixture Author']);
  await git(dir, ['config', 'commit.gpgsign', 'false']);
  return {
    dir,
    async commit(message, files) {
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      await git(dir, ['add', '--', ...Object.keys(files)]);
      await git(dir, ['commit', '-q', '-m', message]);
      return git(dir, ['rev-parse', 'HEAD']);
    },
  };
}
