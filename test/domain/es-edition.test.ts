import { describe, expect, it } from 'vitest';
import { editionName, editionOf, ES3, ES5, ES_NEXT } from '../../src/domain/es-edition.js';

describe('editionOf', () => {
  it.each([
    ['es5', ES5],
    ['ES2018', 2018],
    ['es6', 2015],
    ['ES2022', 2022],
    ['esnext', ES_NEXT],
    ['latest', ES_NEXT],
    [3, ES3],
    [5, ES5],
    [6, 2015],
    [9, 2018],
    [16, 2025],
    [2018, 2018],
    ['2019', 2019],
  ] as const)('reads %j as %d', (value, edition) => {
    expect(editionOf(value)).toBe(edition);
  });

  it.each([['es4'], [4], [2014], ['node14'], [''], [null], [true], [2018.5]])('rejects %j', (value) => {
    expect(editionOf(value)).toBeNull();
  });
});

describe('editionName', () => {
  it('names editions as reports show them', () => {
    expect([ES3, ES5, 2015, 2022, ES_NEXT].map(editionName)).toEqual(['ES3', 'ES5', 'ES2015', 'ES2022', 'ESNext']);
  });
});
