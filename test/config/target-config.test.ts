import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../src/config/load.js';
import { configuredTargetOf } from '../../src/crawl/project-target.js';
import { ES5, ES_NEXT } from '../../src/domain/es-edition.js';

describe('.roach.yml target', () => {
  it('defaults to auto', () => {
    expect(parseProjectConfig({}, '.roach.yml').target).toBe('auto');
  });

  it.each([
    ['es2019', 2019],
    ['ES2019', 2019],
    ['es5', ES5],
    ['es6', 2015],
    ['esnext', ES_NEXT],
  ] as const)('accepts %s', (value, edition) => {
    const { target } = parseProjectConfig({ target: value }, '.roach.yml');
    expect(configuredTargetOf(target)).toBe(edition);
  });

  it.each([['es2014'], ['node14'], ['latest'], [2019]])('refuses %j, naming the field', (value) => {
    expect(() => parseProjectConfig({ target: value }, '.roach.yml')).toThrow(/target/);
  });
});
