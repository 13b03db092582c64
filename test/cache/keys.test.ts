import { describe, expect, it } from 'vitest';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../src/cache/keys.js';

describe('cache keys', () => {
  it('keeps the lifetimes of the product spec, frozen', () => {
    expect(CACHE_TTL_SECONDS).toEqual({ fileHashes: 86_400, patterns: 3_600, issues: 3_600, session: 1_800, rateLimit: 60, apiKey: 60, projectOrganization: 3_600, llmAnswer: 86_400 });
    expect(Object.isFrozen(CACHE_TTL_SECONDS)).toBe(true);
  });

  it('namespaces every key by kind and keeps families apart', () => {
    const keys = [
      cacheKeys.fileStates('p1'),
      cacheKeys.pattern('o1', 'p1', 'fp'),
      cacheKeys.openIssues('p1'),
      cacheKeys.session('s1'),
      cacheKeys.rateLimit('1.2.3.4', 'api', 29_000_000),
    ];
    expect(keys).toEqual(['roach:filehashes:p1', 'roach:patterns:o1:p1:fp', 'roach:issues:p1:open', 'roach:session:s1', 'roach:ratelimit:1.2.3.4:api:29000000']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(cacheKeys.pattern('o1', 'p1', 'fp').startsWith(cacheKeys.patterns('o1'))).toBe(true);
    expect(cacheKeys.pattern('o12', 'p1', 'fp').startsWith(cacheKeys.patterns('o1'))).toBe(false);
    expect(cacheKeys.pattern('o1:x', 'p1', 'fp').startsWith(cacheKeys.patterns('o1'))).toBe(false);
  });
});
