import { ES5 } from '../domain/es-edition.js';
import type { EsEdition } from '../domain/es-edition.js';

/** A version as [major, minor, patch]. */
export type Version = readonly [number, number, number];

/** Orders two versions. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `14`, `14.1`, `14.1.2`, `v14`, `14.x`, `18.5-18.7` (browserslist's ranges: the first); null for anything else. */
export function versionOf(text: string): Version | null {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[\w.-]+)?$/i.exec(text.trim());
  if (!match) return null;
  const part = (value: string | undefined): number => (value === undefined || !/^\d+$/.test(value) ? 0 : Number(value));
  return [Number(match[1]), part(match[2]), part(match[3])];
}

/**
 * The lowest Node version a semver range (package.json `engines.node`) admits: the smallest lower bound
 * over its `||` alternatives, where an alternative's bound is its highest `>=`, `>`, `^`, `~`, `=` or
 * bare version (`<`/`<=` bound nothing from below). Null when the range is not understood; config text,
 * so parsed here rather than by adding a semver library for one question.
 */
export function minimumVersion(range: string): Version | null {
  let lowest: Version | null = null;
  for (const alternative of range.split('||')) {
    const bound = alternativeBound(alternative.trim());
    if (bound === null) return null;
    if (lowest === null || compareVersions(bound, lowest) < 0) lowest = bound;
  }
  return lowest;
}

function alternativeBound(alternative: string): Version | null {
  if (alternative === '' || alternative === '*' || alternative.toLowerCase() === 'x') return [0, 0, 0];
  const hyphen = /^(\S+)\s+-\s+\S+$/.exec(alternative);
  if (hyphen?.[1]) return versionOf(hyphen[1]);
  let bound: Version = [0, 0, 0];
  // `>= 14` is written with a space often enough: operators are joined to their version first.
  for (const comparator of alternative.replace(/([<>=~^]+)\s+/g, '$1').split(/\s+/)) {
    const match = /^(>=|>|<=|<|=|\^|~>|~)?(.+)$/.exec(comparator);
    const version = match?.[2] ? versionOf(match[2]) : null;
    if (!match || !version) return null;
    const operator = match[1] ?? '';
    if (operator === '<' || operator === '<=') continue;
    const lower = operator === '>' ? nextAfter(match[2] ?? '', version) : version;
    if (compareVersions(lower, bound) > 0) bound = lower;
  }
  return bound;
}

/** The first version above `>x`: `>14` is 15.0.0, `>14.1` 14.2.0, `>14.1.2` 14.1.3. */
function nextAfter(text: string, [major, minor, patch]: Version): Version {
  const parts = text.replace(/^v/i, '').split('.').filter((part) => /^\d+$/.test(part)).length;
  if (parts <= 1) return [major + 1, 0, 0];
  if (parts === 2) return [major, minor + 1, 0];
  return [major, minor, patch + 1];
}

/**
 * The first Node version with every syntax feature and built-in of each edition (node.green): ES2022
 * needs class static blocks (16.11), ES2023 change-array-by-copy (20), ES2024 Promise.withResolvers (22),
 * ES2025 RegExp.escape (24). Below 6: ES5.
 */
const NODE_EDITIONS: readonly (readonly [Version, EsEdition])[] = [
  [[6, 0, 0], 2015],
  [[7, 0, 0], 2016],
  [[8, 0, 0], 2017],
  [[10, 0, 0], 2018],
  [[12, 0, 0], 2019],
  [[14, 0, 0], 2020],
  [[15, 0, 0], 2021],
  [[16, 11, 0], 2022],
  [[20, 0, 0], 2023],
  [[22, 0, 0], 2024],
  [[24, 0, 0], 2025],
];

/** The newest edition a Node version fully supports. */
export function editionOfNode(version: Version): EsEdition {
  return newestReached(NODE_EDITIONS, version);
}

function newestReached(rows: readonly (readonly [Version, EsEdition])[], version: Version): EsEdition {
  let edition = ES5;
  for (const [since, reached] of rows) if (compareVersions(version, since) >= 0) edition = reached;
  return edition;
}

/**
 * The first version of each major browser with every syntax feature and built-in of an edition, from
 * MDN's compatibility data, ES2015 to ES2025 (one column per edition). Two features are left out because
 * no rule or fix here emits them and they would hold whole rows back: regexp lookbehind (ES2018; Safari
 * only from 16.4) and Atomics/shared memory. A later column is never below an earlier one.
 */
const BROWSER_COLUMNS = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025] as const;
const BROWSER_EDITIONS: Readonly<Record<string, readonly string[]>> = {
  chrome: ['51', '52', '58', '64', '73', '80', '85', '94', '110', '119', '136'],
  edge: ['15', '15', '16', '79', '79', '80', '85', '94', '110', '119', '136'],
  firefox: ['54', '54', '54', '78', '78', '78', '79', '93', '115', '128', '134'],
  safari: ['10', '10.1', '11', '11.1', '12.1', '14', '14.1', '16.4', '16.4', '17.4', '18.4'],
  ios_saf: ['10', '10.3', '11', '11.3', '12.2', '14', '14.5', '16.4', '16.4', '17.4', '18.4'],
  opera: ['38', '39', '45', '51', '60', '67', '71', '80', '96', '105', '121'],
  samsung: ['5', '6.2', '7.2', '9.2', '11.1', '13', '14', '17', '21', '25', '29'],
};
/** browserslist names that share another browser's version numbers. */
const SAME_VERSIONS: Readonly<Record<string, string>> = { and_chr: 'chrome', and_ff: 'firefox', android: 'chrome' };

/** Browsers whose data is too thin to judge (Opera Mini, KaiOS, UC, QQ, Baidu...): left out, as bundlers' tables do. */
function browserRows(name: string): readonly (readonly [Version, EsEdition])[] | null {
  if (name === 'ie' || name === 'ie_mob') return [];
  const column = BROWSER_EDITIONS[SAME_VERSIONS[name] ?? name];
  if (!column) return null;
  return column.flatMap((text, index) => {
    const version = versionOf(text);
    const edition = BROWSER_COLUMNS[index];
    return version && edition ? [[version, edition] as const] : [];
  });
}

/**
 * The newest edition every browser of a resolved browserslist list supports (entries like `chrome 109`,
 * `ios_saf 16.6-16.7`, `node 14.0.0`, `op_mini all`); null when none of them is one the tables know.
 * `android` versions below 37 are the old WebView (ES5).
 */
export function editionOfBrowsers(entries: readonly string[]): { edition: EsEdition; oldest: string } | null {
  let result: { edition: EsEdition; oldest: string } | null = null;
  for (const entry of entries) {
    const [name = '', versionText = ''] = entry.split(' ');
    const version = versionOf(versionText);
    if (!version) continue;
    const edition = name === 'node' ? editionOfNode(version) : editionOfBrowser(name, version);
    if (edition === null) continue;
    // Among entries of the same edition the oldest version is named (browserslist lists newest first).
    if (result === null || edition < result.edition || (edition === result.edition && result.oldest.split(' ')[0] === name)) result = { edition, oldest: entry };
  }
  return result;
}

function editionOfBrowser(name: string, version: Version): EsEdition | null {
  if (name === 'android' && version[0] < 37) return ES5;
  const rows = browserRows(name);
  if (rows === null) return null;
  return newestReached(rows, version);
}

