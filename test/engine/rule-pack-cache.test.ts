import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRulePackCache, cachedDefinitions, readRulePackCache } from '../../src/engine/rule-pack-cache.js';
import type { RulePackCache } from '../../src/engine/rule-pack-cache.js';
import { listRuleFiles } from '../../src/engine/rule-files.js';
import { BUILTIN_RULES_DIR, compileRuleDefinition, loadRuleFile } from '../../src/engine/rules.js';
import type { RuleFile } from '../../src/engine/rule-schema.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterEach(cleanupTemp);

/** The rule file `javascript/no-<name>.yml` (its id must match), flagging calls of `name`. */
function ruleYaml(name: string, message = `Do not call ${name}.`): string {
  return [`id: js/no-${name}`, 'languages: [javascript]', 'severity: low', 'category: style', `message: ${message}`, 'doc: { rationale: r, bad: b, good: g }', `rule: { pattern: "${name}($$$ARGS)" }`, ''].join('\n');
}

/** A pack folder with the given rule files (name -> YAML) under javascript/, and a folder for the cache with one "module". */
async function pack(rules: Readonly<Record<string, string>>): Promise<{ dir: string; files: string[]; cacheDir: string; module: string }> {
  const root = await tempDir('roach-pack-');
  const dir = path.join(root, 'rules');
  await mkdir(path.join(dir, 'javascript'), { recursive: true });
  for (const [name, text] of Object.entries(rules)) await writeFile(path.join(dir, 'javascript', `${name}.yml`), text);
  const cacheDir = path.join(root, 'dist');
  await mkdir(path.join(cacheDir, 'engine'), { recursive: true });
  const module = path.join(cacheDir, 'engine', 'rules.js');
  await writeFile(module, 'export {};\n');
  return { dir, files: await listRuleFiles(dir), cacheDir, module };
}

async function build(p: Awaited<ReturnType<typeof pack>>): Promise<RulePackCache> {
  return buildRulePackCache({ dir: p.dir, files: p.files, validate: async (file) => (await loadRuleFile(file, p.dir)).definition, code: [p.module], cacheDir: p.cacheDir });
}

async function writeCache(p: Awaited<ReturnType<typeof pack>>, cache: unknown): Promise<string> {
  const file = path.join(p.cacheDir, 'rule-pack-cache.json');
  await writeFile(file, JSON.stringify(cache));
  return file;
}

describe('the rule pack cache', () => {
  it('holds each valid file by its path, and gives its definition back while the file is unchanged', async () => {
    const p = await pack({ 'no-foo': ruleYaml('foo'), 'no-bar': ruleYaml('bar') });
    const cache = await build(p);
    expect(Object.keys(cache.rules).sort()).toEqual(['javascript/no-bar.yml', 'javascript/no-foo.yml']);
    expect(Object.keys(cache.code)).toEqual(['engine/rules.js']);
    const hits = cachedDefinitions(cache, p.dir, p.files);
    expect([...hits.keys()]).toEqual(p.files);
    expect(hits.get(path.join(p.dir, 'javascript', 'no-foo.yml'))).toEqual((await loadRuleFile(path.join(p.dir, 'javascript', 'no-foo.yml'), p.dir)).definition);
  });

  it('never gives a definition for a file changed since it was validated (a stale entry is not used)', async () => {
    const p = await pack({ 'no-foo': ruleYaml('foo'), 'no-bar': ruleYaml('bar') });
    const cache = await build(p);
    const changed = path.join(p.dir, 'javascript', 'no-foo.yml');
    await writeFile(changed, ruleYaml('foo', 'A new message.'));
    const hits = cachedDefinitions(cache, p.dir, p.files);
    expect(hits.has(changed)).toBe(false);
    expect(hits.has(path.join(p.dir, 'javascript', 'no-bar.yml'))).toBe(true);
  });

  it('gives nothing for a file it does not hold, or for the same file under another folder', async () => {
    const p = await pack({ 'no-foo': ruleYaml('foo') });
    const cache = await build(p);
    await writeFile(path.join(p.dir, 'javascript', 'no-baz.yml'), ruleYaml('baz'));
    expect([...cachedDefinitions(cache, p.dir, await listRuleFiles(p.dir)).keys()]).toEqual([path.join(p.dir, 'javascript', 'no-foo.yml')]);
    expect(cachedDefinitions(cache, path.join(p.dir, 'javascript'), p.files).size).toBe(0);
    expect(cachedDefinitions(null, p.dir, p.files).size).toBe(0);
  });

  it('leaves out files that do not validate, so loading them still reports why', async () => {
    const p = await pack({ 'no-foo': ruleYaml('foo'), 'no-bar': ruleYaml('bar').replace('severity: low', 'severity: urgent'), 'no-baz': ruleYaml('baz').replace('js/no-baz', 'js/other') });
    const cache = await build(p);
    expect(Object.keys(cache.rules)).toEqual(['javascript/no-foo.yml']);
  });

  it('leaves out a definition that would not come back from JSON as it is', async () => {
    const p = await pack({ 'no-foo': ruleYaml('foo'), 'no-bar': ruleYaml('bar') });
    const cache = await buildRulePackCache({
      dir: p.dir,
      files: p.files,
      validate: async (file) => {
        const { definition } = await loadRuleFile(file, p.dir);
        return file.endsWith('no-bar.yml') ? ({ ...definition, rule: { pattern: 'bar()', not: undefined } } as RuleFile) : definition;
      },
      code: [p.module],
      cacheDir: p.cacheDir,
    });
    expect(Object.keys(cache.rules)).toEqual(['javascript/no-foo.yml']);
  });

  it('is read only while the code that validated it is the code running', async () => {
    const p = await pack({ 'no-foo': ruleYaml('foo') });
    const file = await writeCache(p, await build(p));
    expect(await readRulePackCache(file)).toMatchObject({ rules: { 'javascript/no-foo.yml': { definition: { id: 'js/no-foo' } } } });
    await writeFile(p.module, 'export const changed = true;\n');
    expect(await readRulePackCache(file)).toBeNull();
  });

  it.each([
    { name: 'missing', text: null },
    { name: 'not JSON', text: '{"format": 1, "code": {' },
    { name: 'of another format', text: JSON.stringify({ format: 0, code: {}, rules: {} }) },
    { name: 'without rules', text: JSON.stringify({ format: 1, code: {} }) },
  ])('is not used when it is $name', async ({ text }) => {
    const p = await pack({ 'no-foo': ruleYaml('foo') });
    const file = path.join(p.cacheDir, 'rule-pack-cache.json');
    if (text !== null) await writeFile(file, text);
    expect(await readRulePackCache(file)).toBeNull();
  });

  it('loads every built-in rule to exactly the rule that validating its file gives', async () => {
    const files = await listRuleFiles(BUILTIN_RULES_DIR);
    const validated = new Map<string, Awaited<ReturnType<typeof loadRuleFile>>>();
    const cache = await buildRulePackCache({
      dir: BUILTIN_RULES_DIR,
      files,
      validate: async (file) => {
        const rule = await loadRuleFile(file, BUILTIN_RULES_DIR);
        validated.set(file, rule);
        return rule.definition;
      },
      code: [],
      cacheDir: BUILTIN_RULES_DIR,
    });
    const hits = cachedDefinitions(JSON.parse(JSON.stringify(cache)) as RulePackCache, BUILTIN_RULES_DIR, files);
    expect(hits.size).toBe(files.length);
    for (const file of files) expect(compileRuleDefinition(hits.get(file) as RuleFile, file)).toStrictEqual(validated.get(file));
  });
});
