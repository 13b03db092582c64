/**
 * ECMAScript editions as numbers that sort: the year of the edition (ES5 is 2009, ES3 1999), and
 * ES_NEXT above every edition for "latest"/"esnext" (no restriction). Used for a project's target and
 * for the minimum target a rule or a fix template needs.
 */
export type EsEdition = number;

export const ES3: EsEdition = 1999;
export const ES5: EsEdition = 2009;
export const ES2015: EsEdition = 2015;
/** `esnext` / `latest`: the newest edition, whatever it is (declares no restriction). */
export const ES_NEXT: EsEdition = 9999;

/** The newest edition with a year this code knows; later years are accepted as they come. */
const LAST_KNOWN_YEAR = 2030;

/**
 * Reads an edition as tools write it: `es5`, `ES2018`, `es6` (= ES2015), `esnext`, `latest`, and
 * ESLint's ecmaVersion numbers (`5`, `6`..`16` = ES2015..ES2025, `2018`). Null when it is none of these.
 */
export function editionOf(value: unknown): EsEdition | null {
  if (typeof value === 'number') return editionOfNumber(value);
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  if (text === 'esnext' || text === 'latest') return ES_NEXT;
  if (/^\d+$/.test(text)) return editionOfNumber(Number(text));
  const match = /^es(\d+)$/.exec(text);
  return match ? editionOfNumber(Number(match[1])) : null;
}

function editionOfNumber(value: number): EsEdition | null {
  if (!Number.isInteger(value)) return null;
  if (value === 3) return ES3;
  if (value === 5) return ES5;
  // ESLint's and TypeScript's short names: 6 is ES2015, 7 ES2016, and so on.
  if (value >= 6 && value <= LAST_KNOWN_YEAR - 2009) return value + 2009;
  if (value >= ES2015 && value <= LAST_KNOWN_YEAR) return value;
  return null;
}

/** `ES5`, `ES2018`, `ESNext`: how reports name an edition. */
export function editionName(edition: EsEdition): string {
  if (edition === ES_NEXT) return 'ESNext';
  if (edition === ES3) return 'ES3';
  if (edition === ES5) return 'ES5';
  return `ES${edition}`;
}
