import { appendFile, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RulePackCache } from '../../src/engine/rule-pack-cache.js';
import { cleanupTemp, REPO_ROOT, roach, run, tempDir } from '../helpers/project.js';
import type { RunResult } from '../helpers/project.js';

/**
 * The built CLI with its rule pack cache (dist/rule-pack-cache.json, written by `npm run build`), on a
 * copy of the installation so that rule files, the cache and the compiled code can be changed.
 */
let install: string;
beforeEach(async () => {
  install = await tempDir('roach-install-');
  await cp(path.join(REPO_ROOT, 'dist'), path.join(install, 'dist'), { recursive: true });
  await cp(path.join(REPO_ROOT, 'src', 'rules'), path.join(install, 'src', 'rules'), { recursive: true });
  await mkdir(path.join(install, 'bin'));
  await cp(path.join(REPO_ROOT, 'bin', 'roach.js'), path.join(install, 'bin', 'roach.js'));
  await cp(path.join(REPO_ROOT, 'package.json'), path.join(install, 'package.json'));
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(install, 'node_modules'));
});
afterEach(cleanupTemp);

const RULE = 'javascript/no-eval.yml';
const MARK = 'Message from the cache';

function installed(args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, [path.join(install, 'bin', 'roach.js'), ...args]);
}

async function listedMessage(): Promise<string | undefined> {
  const result = await installed(['rules', 'list', '--json']);
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as { id: string; message: string }[]).find((rule) => rule.id === 'js/no-eval')?.message;
}

/** Changes js/no-eval's message in the cache only: seeing it listed shows that the cache was used. */
async function markCachedRule(): Promise<void> {
  const file = path.join(install, 'dist', 'rule-pack-cache.json');
  const cache = JSON.parse(await readFile(file, 'utf8')) as { rules: Record<string, { definition: { message: string } }> } & RulePackCache;
  const entry = cache.rules[RULE];
  if (!entry) throw new Error(`the build's cache has no ${RULE}`);
  entry.definition.message = MARK;
  await writeFile(file, JSON.stringify(cache));
}

describe('the rule pack cache of the build', () => {
  it('is used for rule files unchanged since the build, and lists the rules as validating them does', async () => {
    const [copy, repository] = await Promise.all([installed(['rules', 'list']), roach(['rules', 'list'])]);
    expect(copy).toEqual(repository);
    expect(copy.code).toBe(0);
    await markCachedRule();
    expect(await listedMessage()).toBe(MARK);
  });

  it('is not used for a rule file changed since the build', async () => {
    await markCachedRule();
    await appendFile(path.join(install, 'src', 'rules', RULE), '# edited after the build\n');
    expect(await listedMessage()).not.toBe(MARK);
    expect(await listedMessage()).toMatch(/eval/);
  });

  it('does not hide a built-in rule file broken since the build', async () => {
    const file = path.join(install, 'src', 'rules', RULE);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^severity: .*$/m, 'severity: urgent'));
    const result = await installed(['rules', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('severity');
    expect(result.stderr).toContain('CR_ERR_RULE_INVALID');
  });

  it('is not used once the code that validated it has changed', async () => {
    await markCachedRule();
    await appendFile(path.join(install, 'dist', 'engine', 'rule-schema.js'), '\n');
    expect(await listedMessage()).not.toBe(MARK);
  });
});
