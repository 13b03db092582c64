import { describe, expect, it } from 'vitest';
import { latestAuthor, normaliseEmail, parsePorcelain } from '../../src/git/blame.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

// The shape of `git blame --porcelain -L 1,2 -L 4,4`: commit details the first time a commit appears.
const PORCELAIN = [
  `${A} 1 1 2`,
  'author Alice A',
  'author-mail <Alice@Example.TEST>',
  'author-time 1700000000',
  'author-tz +0000',
  'summary first',
  'filename src/a.js',
  '\tconst secret = "do not keep me";',
  `${A} 2 2`,
  '\tdebugger;',
  `${B} 4 4 1`,
  'author Bob B',
  'author-mail <bob@example.test>',
  'author-time 1800000000',
  'filename src/a.js',
  '\treturn x;',
  `${ZERO} 5 5 1`,
  'author Not Committed Yet',
  'author-mail <not.committed.yet>',
  'author-time 1900000000',
  'filename src/a.js',
  '\tnew line;',
  '',
].join('\n');

describe('git blame --porcelain parsing', () => {
  it('maps lines to commit authors, normalised, keeping no line text and skipping uncommitted lines', () => {
    const blame = parsePorcelain(PORCELAIN);
    expect([...blame.keys()].sort()).toEqual([1, 2, 4]);
    expect(blame.get(2)).toEqual({ commit: A, email: 'alice@example.test', name: 'Alice A', time: 1_700_000_000 });
    expect(blame.get(4)?.email).toBe('bob@example.test');
    expect(JSON.stringify([...blame.values()])).not.toContain('do not keep me');
  });

  it('credits a range to its most recent committed change', () => {
    const blame = parsePorcelain(PORCELAIN);
    expect(latestAuthor(blame, { start: 1, end: 5 })?.commit).toBe(B);
    expect(latestAuthor(blame, { start: 1, end: 2 })?.commit).toBe(A);
    expect(latestAuthor(blame, { start: 5, end: 5 })).toBeNull();
  });

  it.each([
    ['<Dev@Example.COM>', 'dev@example.com'],
    ['  user@host  ', 'user@host'],
  ])('normalises %s', (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });
});
