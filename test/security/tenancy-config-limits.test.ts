import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, parseProjectConfig } from '../../src/config/load.js';
import { loadEnvironment } from '../../src/config/environment.js';
import { CONFIG_LIMITS } from '../../src/config/schema.js';
import { roachRejection } from '../helpers/errors.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-config-limits-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const invalid = (raw: unknown): (() => unknown) => () => parseProjectConfig(raw, '.roach.yml');

// Issue 20 point 9: a 6.7 MB .roach.yml with 400,000 exclude entries took the worker's heap.
describe('.roach.yml limits before work', () => {
  it('refuses the probed 400,000-entry config by its size, before reading or parsing it', async () => {
    const lines = ['exclude:'];
    for (let i = 0; i < 400_000; i++) lines.push(`  - "generated/dir-${i}/**"`);
    await writeFile(path.join(root, '.roach.yml'), lines.join('\n'));
    const started = Date.now();
    const error = await roachRejection(loadProjectConfig(root));
    expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
    expect(error.message).toMatch(/over the 1048576-byte limit/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a list longer than the limit even in a file under the size limit', async () => {
    const lines = ['exclude:'];
    for (let i = 0; i <= CONFIG_LIMITS.listEntries; i++) lines.push(`  - d${i}/`);
    await writeFile(path.join(root, '.roach.yml'), lines.join('\n'));
    const error = await roachRejection(loadProjectConfig(root));
    expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
    expect(error.message).toMatch(/exclude/);
  });

  it.each([
    ['include', { include: ['src/\0x'] }],
    ['exclude', { exclude: ['a\0'] }],
    ['secrets.exclude', { secrets: { exclude: ['\0'] } }],
    ['rules.overrides files', { rules: { overrides: [{ files: ['x\0y'] }] } }],
  ])('refuses a NUL inside %s', (_, raw) => {
    expect(invalid(raw)).toThrow(/NUL/);
  });

  it.each([['/etc'], ['../outside'], ['rules/../../etc'], ['..'], ['C:\\rules'], ['..\\up']])('refuses rules.dirs: [%s] (outside the project)', (dir) => {
    expect(invalid({ rules: { dirs: [dir] } })).toThrow(/rules\.dirs|inside the project/);
  });

  it('keeps rule folders inside the project working', () => {
    expect(parseProjectConfig({ rules: { dirs: ['rules', './more/rules', 'a/../b'] } }, '.roach.yml').rules.dirs).toEqual(['rules', './more/rules', 'a/../b']);
  });

  it('refuses a rules.dirs folder that is a link out of the project', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'roach-config-outside-'));
    try {
      await symlink(outside, path.join(root, 'rules'));
      await writeFile(path.join(root, '.roach.yml'), 'rules:\n  dirs: [rules]\n');
      const error = await roachRejection(loadProjectConfig(root));
      expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
      expect(error.message).toMatch(/leads outside the project/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it.each([['/etc/passwd'], ['../other-tenant/scan.sarif'], ['reports/../../x.sarif']])('refuses adapters.sarif: [%s] (outside the project)', (file) => {
    expect(invalid({ adapters: { sarif: [file] } })).toThrow(/adapters\.sarif|inside the project/);
  });

  it('refuses an adapters.sarif report that is a link out of the project, and keeps one inside working', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'roach-config-outside-'));
    try {
      await writeFile(path.join(outside, 'scan.sarif'), '{}');
      await symlink(path.join(outside, 'scan.sarif'), path.join(root, 'scan.sarif'));
      await writeFile(path.join(root, 'own.sarif'), '{}');
      await writeFile(path.join(root, '.roach.yml'), 'adapters:\n  sarif: [own.sarif, scan.sarif]\n');
      const error = await roachRejection(loadProjectConfig(root));
      expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
      expect(error.message).toMatch(/adapters\.sarif entry "scan\.sarif" leads outside the project/);
      await writeFile(path.join(root, '.roach.yml'), 'adapters:\n  sarif: [own.sarif]\n');
      expect((await loadProjectConfig(root)).config.adapters.sarif).toEqual(['own.sarif']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('never reads a .roach.yml that links out of the project, nor one that is not a file', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'roach-config-outside-'));
    try {
      await writeFile(path.join(outside, 'secret.txt'), 'root:SECRET-HASH:19000:0:99999:7:::\n');
      await symlink(path.join(outside, 'secret.txt'), path.join(root, '.roach.yml'));
      const error = await roachRejection(loadProjectConfig(root));
      expect(error.code).toBe('CR_ERR_CONFIG_INVALID');
      expect(error.message).not.toContain('SECRET-HASH');
      await rm(path.join(root, '.roach.yml'));
      await mkdir(path.join(root, '.roach.yml'));
      expect((await roachRejection(loadProjectConfig(root))).message).toMatch(/not a regular file/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('analysis limits from the environment', () => {
  it('are the operator\'s to set, each one optional', () => {
    expect(loadEnvironment({}).analysis).toEqual({});
    expect(loadEnvironment({ ROACH_ANALYSIS_FILE_TIMEOUT_MS: '5000', ROACH_ANALYSIS_THREAD_HEAP_MB: '512', ROACH_ANALYSIS_FILE_MEMORY_MB: '768' }).analysis).toEqual({
      fileTimeoutMs: 5000,
      threadHeapMb: 512,
      fileMemoryMb: 768,
    });
    expect(() => loadEnvironment({ ROACH_ANALYSIS_FILE_TIMEOUT_MS: '-1' })).toThrow(/ROACH_ANALYSIS_FILE_TIMEOUT_MS/);
  });
});
