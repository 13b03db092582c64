import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, parseProjectConfig } from '../../src/config/load.js';
import { ProjectConfigSchema } from '../../src/config/schema.js';
import type { ProjectConfig } from '../../src/config/schema.js';
import type { RoachError } from '../../src/domain/errors.js';
import { roachRejection } from '../helpers/errors.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const DEFAULTS: ProjectConfig = {
  include: [],
  exclude: [],
  maxFileSizeBytes: 1_048_576,
  rules: { disabled: [], enabled: [], dirs: [], overrides: [] },
  secrets: { enabled: true, exclude: [] },
  fix: { threshold: 0.9 },
  learning: { shareAcrossProjects: false },
  validation: { commands: [], testTimeoutMs: 300_000, testBudgetMs: 1_800_000, testEveryFix: false },
  adapters: { eslint: { enabled: false }, oxlint: { enabled: false, categories: ['correctness'] }, typescript: { enabled: false }, sarif: [] },
  llm: { enabled: true, cheapFor: { severities: ['low'], rules: [] }, rules: [], excludeRules: [] },
  tests: { policy: 'apply', paths: { test: [], fixture: [], example: [], benchmark: [], script: [] }, production: [] },
  generated: { detect: true, crawl: [], extra: [] },
  respect: { inlineSuppressions: true, eslintConfig: true, conventions: true, enforce: [] },
  target: 'auto',
};

async function caught(promise: Promise<unknown>): Promise<RoachError> {
  return roachRejection(promise);
}

function expectDeeplyFrozen(value: unknown, where = 'config'): void {
  if (value === null || typeof value !== 'object') return;
  expect(Object.isFrozen(value), `${where} is frozen`).toBe(true);
  for (const [key, item] of Object.entries(value)) expectDeeplyFrozen(item, `${where}.${key}`);
}

describe('loadProjectConfig', () => {
  it('gives the defaults when there is no config file', async () => {
    const { config, file } = await loadProjectConfig(root);
    expect(file).toBeNull();
    expect(config).toEqual(DEFAULTS);
  });

  it.each(['.roach.yml', '.roach.yaml'])('reads a valid %s and fills in the rest with defaults', async (name) => {
    const file = path.join(root, name);
    await writeFile(
      file,
      [
        'include: [src/]',
        'exclude: ["**/*.test.js"]',
        'rules:',
        '  disabled: [js/no-eval]',
        'fix:',
        '  threshold: 0.75',
        'validation:',
        '  commands:',
        '    - name: types',
        '      run: npx tsc --noEmit',
        '',
      ].join('\n'),
    );
    const loaded = await loadProjectConfig(root);
    expect(loaded.file).toBe(file);
    expect(loaded.config).toEqual({
      ...DEFAULTS,
      include: ['src/'],
      exclude: ['**/*.test.js'],
      rules: { disabled: ['js/no-eval'], enabled: [], dirs: [], overrides: [] },
      fix: { threshold: 0.75 },
      validation: { commands: [{ name: 'types', run: 'npx tsc --noEmit', timeoutMs: 300_000 }], testTimeoutMs: 300_000, testBudgetMs: 1_800_000, testEveryFix: false },
    });
  });

  it('prefers .roach.yml over .roach.yaml', async () => {
    await writeFile(path.join(root, '.roach.yml'), 'maxFileSizeBytes: 10\n');
    await writeFile(path.join(root, '.roach.yaml'), 'maxFileSizeBytes: 20\n');
    expect((await loadProjectConfig(root)).config.maxFileSizeBytes).toBe(10);
  });

  it('reads an explicit file instead of the one in the root', async () => {
    await writeFile(path.join(root, '.roach.yml'), 'maxFileSizeBytes: 10\n');
    const explicit = path.join(root, 'other.yml');
    await writeFile(explicit, 'maxFileSizeBytes: 30\n');
    const loaded = await loadProjectConfig(root, explicit);
    expect(loaded).toMatchObject({ file: explicit, config: { maxFileSizeBytes: 30 } });
  });

  it('refuses an explicit file that does not exist instead of falling back to defaults', async () => {
    const missing = path.join(root, 'missing.yml');
    const error = await caught(loadProjectConfig(root, missing));
    expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
    expect(error.message).toContain(missing);
  });

  it.each([
    { name: 'an empty file', text: '' },
    { name: 'only comments', text: '# nothing configured yet\n' },
  ])('gives the defaults for $name', async ({ text }) => {
    await writeFile(path.join(root, '.roach.yml'), text);
    expect((await loadProjectConfig(root)).config).toEqual(DEFAULTS);
  });

  it('refuses malformed YAML with CR_ERR_CONFIG_INVALID naming the file', async () => {
    const file = path.join(root, '.roach.yml');
    await writeFile(file, 'include: [src/\nexclude: x\n');
    const error = await caught(loadProjectConfig(root));
    expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain('not valid YAML');
    expect(error.details).toEqual({ file });
  });

  it.each([
    { name: 'an unknown top-level key', text: 'includes: [src/]\n', field: 'includes' },
    { name: 'an unknown nested key', text: 'fix:\n  thresold: 0.5\n', field: 'fix.thresold' },
    { name: 'a wrong type', text: 'fix:\n  threshold: high\n', field: 'fix.threshold' },
    { name: 'a value out of range', text: 'fix:\n  threshold: 1.5\n', field: 'fix.threshold' },
    { name: 'a string instead of a list', text: 'include: src/\n', field: 'include' },
    { name: 'a missing field in a list item', text: 'validation:\n  commands:\n    - name: lint\n', field: 'validation.commands.0.run' },
    { name: 'a negative size', text: 'maxFileSizeBytes: -1\n', field: 'maxFileSizeBytes' },
    { name: 'a fractional timeout', text: 'validation:\n  testTimeoutMs: 1.5\n', field: 'validation.testTimeoutMs' },
    { name: 'an unknown severity in an override', text: 'rules:\n  overrides:\n    - files: [test/]\n      severity: { js/no-eval: urgent }\n', field: 'rules.overrides.0.severity.js/no-eval' },
    { name: 'an override without files', text: 'rules:\n  overrides:\n    - disabled: [js/no-eval]\n', field: 'rules.overrides.0.files' },
  ])('names the field path for $name', async ({ text, field }) => {
    const file = path.join(root, '.roach.yml');
    await writeFile(file, text);
    const error = await caught(loadProjectConfig(root));
    expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain(`${field}:`);
  });

  it('refuses a config that is not a mapping', async () => {
    await writeFile(path.join(root, '.roach.yml'), '- just\n- a list\n');
    await expect(loadProjectConfig(root)).rejects.toMatchObject({ code: 'CR_ERR_CONFIG_INVALID' });
  });

  it('refuses a config path that is a directory', async () => {
    await mkdir(path.join(root, '.roach.yml'));
    await expect(loadProjectConfig(root)).rejects.toMatchObject({ code: 'CR_ERR_CONFIG_INVALID' });
  });

  it('returns a deeply frozen config', async () => {
    await writeFile(path.join(root, '.roach.yml'), 'include: [src/]\nvalidation:\n  commands:\n    - { name: t, run: "true" }\n');
    const { config } = await loadProjectConfig(root);
    expectDeeplyFrozen(config);
    expect(() => {
      (config.include as string[]).push('lib/');
    }).toThrow(TypeError);
    expect(() => {
      (config.fix as { threshold: number }).threshold = 0;
    }).toThrow(TypeError);
    expect(config.include).toEqual(['src/']);
    expect(config.fix.threshold).toBe(0.9);
  });

  it('returns frozen defaults that later loads do not share mutably', async () => {
    const first = (await loadProjectConfig(root)).config;
    expectDeeplyFrozen(first);
    const second = (await loadProjectConfig(root)).config;
    expect(second).toEqual(DEFAULTS);
  });
});

describe('parseProjectConfig', () => {
  it('treats null (an empty YAML document) as no settings', () => {
    expect(parseProjectConfig(null, 'x.yml')).toEqual(DEFAULTS);
  });

  it('names the source in the error', () => {
    expect(() => parseProjectConfig({ fix: { threshold: 'x' } }, 'from-test.yml')).toThrow(/Invalid config from-test\.yml: fix\.threshold:/);
  });

  it('matches the schema defaults', () => {
    expect(ProjectConfigSchema.parse({})).toEqual(DEFAULTS);
  });

  it('reads the tests: section (paths per role, production patterns, policy) and refuses unknown roles', () => {
    const config = parseProjectConfig({ tests: { policy: 'ignore', paths: { example: ['playground/'] }, production: ['src/testing/'] } }, 'x.yml');
    expect(config.tests).toEqual({ policy: 'ignore', paths: { test: [], fixture: [], example: ['playground/'], benchmark: [], script: [] }, production: ['src/testing/'] });
    expect(() => parseProjectConfig({ tests: { paths: { spec: ['s/'] } } }, 'x.yml')).toThrow(/tests\.paths/);
    expect(() => parseProjectConfig({ tests: { policy: 'lower' } }, 'x.yml')).toThrow(/tests\.policy/);
  });
});
