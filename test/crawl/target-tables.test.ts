import { describe, expect, it } from 'vitest';
import { ES5 } from '../../src/domain/es-edition.js';
import { editionOfBrowsers, editionOfNode, minimumVersion } from '../../src/crawl/target-tables.js';

describe('minimumVersion (engines.node ranges)', () => {
  it.each([
    ['>=4.0.0', [4, 0, 0]],
    ['>= 14', [14, 0, 0]],
    ['^20.19.0 || >=22.12.0', [20, 19, 0]],
    ['^20.19.0 || ^22.12.0 || >=23', [20, 19, 0]],
    ['>=18 <23', [18, 0, 0]],
    ['>16', [17, 0, 0]],
    ['>16.3', [16, 4, 0]],
    ['~16.14', [16, 14, 0]],
    ['14.x', [14, 0, 0]],
    ['12 - 16', [12, 0, 0]],
    ['<20', [0, 0, 0]],
    ['*', [0, 0, 0]],
    ['v10.13.0', [10, 13, 0]],
  ] as const)('%s starts at %j', (range, version) => {
    expect(minimumVersion(range)).toEqual(version);
  });

  it('gives up on what is not a range', () => {
    expect(minimumVersion('latest')).toBeNull();
    expect(minimumVersion('>=node14')).toBeNull();
  });
});

describe('editionOfNode', () => {
  it.each([
    [[0, 12, 0], ES5],
    [[4, 0, 0], ES5],
    [[6, 0, 0], 2015],
    [[8, 9, 0], 2017],
    [[14, 0, 0], 2020],
    [[16, 0, 0], 2021],
    [[16, 11, 0], 2022],
    [[18, 0, 0], 2022],
    [[20, 19, 0], 2023],
    [[22, 0, 0], 2024],
    [[24, 0, 0], 2025],
  ] as const)('Node %j runs %d', (version, edition) => {
    expect(editionOfNode(version)).toBe(edition);
  });
});

describe('editionOfBrowsers', () => {
  it('takes the oldest supported browser, naming the oldest entry of the edition', () => {
    expect(editionOfBrowsers(['chrome 120', 'safari 15.6', 'safari 14.1', 'firefox 115'])).toEqual({ edition: 2021, oldest: 'safari 14.1' });
  });

  it('reads ranges, Android Chrome and Node entries', () => {
    expect(editionOfBrowsers(['ios_saf 16.6-16.7', 'and_chr 120'])).toEqual({ edition: 2023, oldest: 'ios_saf 16.6-16.7' });
    expect(editionOfBrowsers(['node 14.21.0', 'node 14.0.0', 'chrome 120'])).toEqual({ edition: 2020, oldest: 'node 14.0.0' });
  });

  it('puts Internet Explorer and the old Android WebView at ES5', () => {
    expect(editionOfBrowsers(['chrome 120', 'ie 11'])?.edition).toBe(ES5);
    expect(editionOfBrowsers(['android 4.4.3-4.4.4'])?.edition).toBe(ES5);
  });

  it('leaves out browsers the tables do not know', () => {
    expect(editionOfBrowsers(['op_mini all', 'kaios 2.5', 'chrome 94'])).toEqual({ edition: 2022, oldest: 'chrome 94' });
    expect(editionOfBrowsers(['op_mini all'])).toBeNull();
  });
});
