import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/cache/cache.js';
import { cacheKeys } from '../../src/cache/keys.js';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { createRedisCache } from '../../src/cache/redis-cache.js';
import { cleanupPrefix, keysUnder, REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';

const redisUp = await redisAvailable();
const prefix = uniquePrefix();

interface Backend {
  readonly name: string;
  readonly skip: boolean;
  readonly open: () => Cache;
  /** Lets time pass: a fake clock for memory, real time for Redis (TTLs in these tests are 0.4 s). */
  readonly advance: (ms: number) => Promise<void>;
}

let fakeNow = 1_000_000;
const backends: Backend[] = [
  {
    name: 'memory',
    skip: false,
    open: () => createMemoryCache({ now: () => fakeNow }),
    advance: async (ms) => {
      fakeNow += ms;
    },
  },
  { name: 'Redis', skip: !redisUp, open: () => createRedisCache({ url: REDIS_URL, keyPrefix: prefix }), advance: (ms) => sleep(ms) },
];

afterAll(async () => {
  if (redisUp) await cleanupPrefix(prefix);
});

// One suite for every implementation: the embedded and the service mode must cache alike.
describe.each(backends)('cache conformance on $name', ({ name, skip, open, advance }) => {
  let cache: Cache;
  beforeAll(async () => {
    if (skip) return;
    cache = open();
    if (cache.kind === 'redis') await waitForOk(cache);
  });
  afterAll(async () => {
    if (!skip) await cache.close();
  });

  it.skipIf(skip)('round-trips JSON values and hands out copies', async () => {
    const value = { a: 1, list: [1, 'two', null], nested: { ok: true } };
    await cache.set(`${name}:obj`, value, 60);
    value.a = 2;
    const got = await cache.get<{ a: number; nested: { ok: boolean } }>(`${name}:obj`);
    expect(got).toEqual({ a: 1, list: [1, 'two', null], nested: { ok: true } });
    if (got) got.nested.ok = false;
    expect(await cache.get(`${name}:obj`)).toEqual({ a: 1, list: [1, 'two', null], nested: { ok: true } });

    for (const [key, stored] of [['null', null], ['zero', 0], ['false', false], ['empty', '']] as const) {
      await cache.set(`${name}:${key}`, stored, 60);
      expect(await cache.get(`${name}:${key}`)).toBe(stored);
    }
    expect(await cache.get(`${name}:never-set`)).toBeUndefined();
  });

  it.skipIf(skip)('refuses TTLs and values that are bugs in the caller', async () => {
    await expect(cache.set(`${name}:bad`, 1, 0)).rejects.toBeInstanceOf(RangeError);
    await expect(cache.incr(`${name}:bad`, -1)).rejects.toBeInstanceOf(RangeError);
    await expect(cache.set(`${name}:bad`, undefined, 60)).rejects.toBeInstanceOf(TypeError);
  });

  it.skipIf(skip)('expires entries after their TTL', async () => {
    await cache.set(`${name}:ttl`, 'v', 0.4);
    await advance(250);
    expect(await cache.get(`${name}:ttl`)).toBe('v');
    await advance(250);
    expect(await cache.get(`${name}:ttl`)).toBeUndefined();
  });

  it.skipIf(skip)('deletes the given keys only', async () => {
    await Promise.all(['d1', 'd2', 'd3'].map((k) => cache.set(`${name}:${k}`, k, 60)));
    await cache.del([`${name}:d1`, `${name}:d2`, `${name}:missing`]);
    await cache.del([]);
    expect(await cache.get(`${name}:d1`)).toBeUndefined();
    expect(await cache.get(`${name}:d2`)).toBeUndefined();
    expect(await cache.get(`${name}:d3`)).toBe('d3');
  });

  it.skipIf(skip)('deletes a family of keys by prefix and nothing else', async () => {
    const org = `${name}-org`;
    // More keys than one SCAN batch, so the cursor loop must run to the end.
    const family = Array.from({ length: 1200 }, (_, i) => cacheKeys.pattern(org, 'p1', `fp${i}`));
    const others = [cacheKeys.pattern(`${org}2`, 'p1', 'fp0'), cacheKeys.pattern(`${org}:x`, 'p1', 'fp0'), cacheKeys.openIssues(org), `${name}:glob-x1`];
    await Promise.all([...family, ...others].map((key) => cache.set(key, 1, 60)));
    await cache.set(`${name}:glob*1`, 1, 60);

    await cache.delByPrefix(cacheKeys.patterns(org));
    const left = await Promise.all(family.map((key) => cache.get(key)));
    expect(left.filter((v) => v !== undefined)).toEqual([]);
    for (const key of others) expect(await cache.get(key), key).toBe(1);

    // Glob characters in a prefix are literal.
    await cache.delByPrefix(`${name}:glob*`);
    expect(await cache.get(`${name}:glob*1`)).toBeUndefined();
    expect(await cache.get(`${name}:glob-x1`)).toBe(1);
  });

  it.skipIf(skip)('counts with a TTL that starts at the first increment', async () => {
    const key = cacheKeys.rateLimit(`${name}-client`, 'api', 1);
    expect([await cache.incr(key, 0.4), await cache.incr(key, 0.4), await cache.incr(key, 0.4)]).toEqual([1, 2, 3]);
    await advance(250);
    expect(await cache.incr(key, 0.4)).toBe(4);
    await advance(250);
    expect(await cache.incr(key, 0.4)).toBe(1);
  });

  it.skipIf(skip)('still counts when the key holds something else', async () => {
    await cache.set(`${name}:not-a-counter`, 'abc', 60);
    expect(await cache.incr(`${name}:not-a-counter`, 60)).toBe(1);
    expect(await cache.incr(`${name}:not-a-counter`, 60)).toBe(2);
  });

  it.skipIf(skip)('reports itself healthy', async () => {
    expect(await cache.health()).toMatchObject({ kind: cache.kind, ok: true });
  });
});

describe('memory cache', () => {
  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.get('a');
    await cache.set('c', 3, 60);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([1, undefined, 3]);
    await cache.incr('d', 60);
    expect(await cache.get('a')).toBeUndefined();
  });
});

describe.skipIf(!redisUp)('Redis cache', () => {
  it('stores keys under its keyPrefix, as typed by the caller', async () => {
    const own = uniquePrefix();
    const cache = createRedisCache({ url: REDIS_URL, keyPrefix: own });
    try {
      await waitForOk(cache);
      await cache.set(cacheKeys.session('s1'), { user: 'u' }, 60);
      expect(await keysUnder(own)).toEqual([`${own}roach:session:s1`]);
    } finally {
      await cache.close();
      await cleanupPrefix(own);
    }
  });
});

async function waitForOk(cache: Cache): Promise<void> {
  for (let i = 0; i < 50 && !(await cache.health()).ok; i++) await sleep(50);
}
