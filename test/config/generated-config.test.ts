import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../src/config/load.js';
import { CONFIG_LIMITS } from '../../src/config/schema.js';

describe('.roach.yml generated:', () => {
  it('defaults to detection on, with no exceptions', () => {
    expect(parseProjectConfig({}, '.roach.yml').generated).toEqual({ detect: true, crawl: [], extra: [] });
  });

  it('reads detect, crawl and extra', () => {
    const config = parseProjectConfig({ generated: { detect: false, crawl: ['dist/keep.js'], extra: ['*.gen.ts'] } }, '.roach.yml');
    expect(config.generated).toEqual({ detect: false, crawl: ['dist/keep.js'], extra: ['*.gen.ts'] });
  });

  it('refuses unknown keys, NULs and lists over the limit', () => {
    expect(() => parseProjectConfig({ generated: { detected: true } }, '.roach.yml')).toThrow(/generated/);
    expect(() => parseProjectConfig({ generated: { crawl: ['a\0'] } }, '.roach.yml')).toThrow(/NUL/);
    const many = Array.from({ length: CONFIG_LIMITS.listEntries + 1 }, (_, i) => `d${i}/`);
    expect(() => parseProjectConfig({ generated: { extra: many } }, '.roach.yml')).toThrow(/generated/);
  });
});
