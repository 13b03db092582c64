import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheKeys } from '../../src/cache/keys.js';
import { connectRedisCache, createRedisCache, type CacheLogger, type RedisCache } from '../../src/cache/redis-cache.js';
import { REDIS_URL, redisAvailable, uniquePrefix } from '../helpers/redis.js';

const DEAD_URL = 'redis://127.0.0.1:1';
const redisUp = await redisAvailable();

function recordingLogger(): CacheLogger & { warns: string[]; infos: string[] } {
  const warns: string[] = [];
  const infos: string[] = [];
  return { warns, infos, warn: (details) => warns.push(String(details.err)), info: (_details, message) => infos.push(message) };
}

const opened: RedisCache[] = [];
function open(url: string, logger?: CacheLogger): RedisCache {
  const cache = createRedisCache({ url, keyPrefix: uniquePrefix(), ...(logger ? { logger } : {}) });
  opened.push(cache);
  return cache;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});

describe('Redis cache when Redis is down', () => {
  it('misses, drops writes, counts in-process and says why in health', async () => {
    const logger = recordingLogger();
    const cache = open(DEAD_URL, logger);
    await cache.set('k', { a: 1 }, 60);
    expect(await cache.get('k')).toBeUndefined();
    await cache.del(['k']);
    await cache.delByPrefix('roach:');
    const key = cacheKeys.rateLimit('1.2.3.4', 'api', 0);
    expect([await cache.incr(key, 60), await cache.incr(key, 60), await cache.incr(key, 60)]).toEqual([1, 2, 3]);

    // Several reconnect attempts fail meanwhile; the outage is logged once, not per attempt.
    await vi.waitFor(async () => expect((await cache.health()).detail).toContain('ECONNREFUSED'), { timeout: 30_000, interval: 100 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const health = await cache.health();
    expect(health).toMatchObject({ kind: 'redis', ok: false });
    expect(health.detail).toContain(`Redis at ${DEAD_URL} (REDIS_URL) unreachable`);
    expect(health.detail).toContain('serving from the database');
    expect(logger.warns).toHaveLength(1);

    await cache.close();
    expect(await cache.get('k')).toBeUndefined();
  });

  it('never shows the password', async () => {
    const cache = open('redis://:s3cret@127.0.0.1:1');
    const { detail } = await cache.health();
    expect(detail).toContain('redis://:***@127.0.0.1:1');
    expect(detail).not.toContain('s3cret');
  });

  it('connectRedisCache gives up waiting and returns a degraded cache', async () => {
    const started = Date.now();
    const cache = await connectRedisCache(DEAD_URL, uniquePrefix(), { timeoutMs: 300 });
    opened.push(cache);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await cache.health()).ok).toBe(false);
  });

  it.skipIf(!redisUp)('connectRedisCache returns once connected', async () => {
    const cache = await connectRedisCache(REDIS_URL, uniquePrefix(), { timeoutMs: 3000 });
    opened.push(cache);
    expect(await cache.health()).toMatchObject({ ok: true });
  });
});

describe('REDIS_URL validation', () => {
  it.each(['redis//x', 'http://127.0.0.1:6379', 'redis://', 'redis://host/not-a-db', 'mysql://user:s3cret@host', 'not a url'])(
    'refuses %s, naming REDIS_URL',
    async (url) => {
      expect(() => createRedisCache({ url, keyPrefix: 'x:' })).toThrow(/REDIS_URL/);
      await expect(connectRedisCache(url, 'x:')).rejects.toThrow(/REDIS_URL/);
      expect(() => createRedisCache({ url, keyPrefix: 'x:' })).not.toThrow(/s3cret/);
    },
  );
});
