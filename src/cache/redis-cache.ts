import { Redis } from 'ioredis';
import { type Cache, type CacheHealth, toCacheJson, ttlMilliseconds } from './cache.js';
import { createMemoryCache } from './memory-cache.js';
import { assertRedisUrl, maskRedisUrl } from '../config/redis-url.js';

/** The part of a logger (pino or anything alike) the cache uses. */
export interface CacheLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

export interface RedisCacheOptions {
  /** REDIS_URL: redis://[:password@]host[:port][/db] or rediss://. */
  readonly url: string;
  /** Prepended to every key, so several deployments (or test runs) can share one Redis. */
  readonly keyPrefix: string;
  readonly logger?: CacheLogger;
}

export interface RedisCache extends Cache {
  readonly kind: 'redis';
  /** Resolves true once connected, or false after `timeoutMs` (the client keeps retrying in the background). */
  waitForConnection(timeoutMs: number): Promise<boolean>;
}

const SCAN_BATCH = 500;
const WARN_INTERVAL_MS = 60_000;

/** `*`, `?`, `[`, `]` and `\` are glob syntax in SCAN MATCH; a prefix must match them literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A Cache over Redis that fails soft: while Redis is down or a command fails, reads are misses,
 * writes are dropped, counters fall back to this process, and health() says so. Commands fail fast
 * instead of queueing (no offline queue, one retry, a command timeout) so a dead Redis costs a
 * request milliseconds, not seconds; the client keeps reconnecting in the background.
 *
 * Throws a plain Error naming REDIS_URL when the URL is malformed.
 */
export function createRedisCache(options: RedisCacheOptions): RedisCache {
  assertRedisUrl(options.url);
  const { keyPrefix, logger } = options;
  const shownUrl = maskRedisUrl(options.url);
  const client = new Redis(options.url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  // Counters must keep working on one machine while Redis is away (rate limits).
  const localCounters = createMemoryCache({ maxEntries: 10_000 });
  let lastError: string | null = null;
  let lastWarnAt = Number.NEGATIVE_INFINITY;

  // Without a listener an 'error' event would crash the process.
  client.on('error', (error: unknown) => note(error));
  client.on('ready', () => {
    if (lastWarnAt !== Number.NEGATIVE_INFINITY) logger?.info({ redis: shownUrl }, 'Redis cache reconnected');
    lastWarnAt = Number.NEGATIVE_INFINITY;
    lastError = null;
  });

  function note(error: unknown): void {
    lastError = maskRedisUrl(messageOf(error));
    // A reconnect loop (or a slow Redis timing out commands) fails many times a second: warn once a minute.
    const now = Date.now();
    if (now - lastWarnAt < WARN_INTERVAL_MS) return;
    lastWarnAt = now;
    logger?.warn({ redis: shownUrl, err: lastError }, 'Redis cache unavailable; serving from the database');
  }

  async function soft<T>(fallback: () => T | Promise<T>, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      note(error);
      return fallback();
    }
  }

  async function scanAndUnlink(prefix: string): Promise<void> {
    // ioredis prefixes the keys of commands but not SCAN's MATCH pattern, and SCAN returns full keys,
    // which must lose the prefix again before UNLINK adds it back.
    const pattern = `${escapeGlob(keyPrefix + prefix)}*`;
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
      cursor = next;
      if (found.length > 0) await client.unlink(...found.map((key) => key.slice(keyPrefix.length)));
    } while (cursor !== '0');
  }

  async function incrementInRedis(key: string, ttl: number): Promise<number> {
    // SET NX starts the window with its TTL; INCR keeps the TTL. MULTI keeps the key from expiring between the two.
    const results = await client.multi().set(key, '0', 'PX', ttl, 'NX').incr(key).exec();
    const [error, value] = results?.[1] ?? [new Error('Redis MULTI was aborted'), null];
    if (error) throw error;
    return Number(value);
  }

  return {
    kind: 'redis',
    async get<T>(key: string): Promise<T | undefined> {
      return soft<T | undefined>(
        () => undefined,
        async () => {
          const json = await client.get(key);
          return json === null ? undefined : (JSON.parse(json) as T);
        },
      );
    },
    async set(key, value, ttlSeconds) {
      const json = toCacheJson(value);
      const ttl = ttlMilliseconds(ttlSeconds);
      await soft(
        () => undefined,
        async () => void (await client.set(key, json, 'PX', ttl)),
      );
    },
    async del(keys) {
      if (keys.length === 0) return;
      await soft(
        () => undefined,
        async () => void (await client.unlink(...keys)),
      );
    },
    async delByPrefix(prefix) {
      await soft(
        () => undefined,
        () => scanAndUnlink(prefix),
      );
    },
    async incr(key, ttlSeconds) {
      const ttl = ttlMilliseconds(ttlSeconds);
      return soft(
        () => localCounters.incr(key, ttlSeconds),
        () => incrementInRedis(key, ttl),
      );
    },
    async health(): Promise<CacheHealth> {
      if (client.status === 'ready') {
        const pong = await soft(
          () => null,
          () => client.ping(),
        );
        if (pong !== null) return { kind: 'redis', ok: true, detail: `Redis at ${shownUrl} (REDIS_URL) reachable` };
      }
      const reason = lastError ?? `connection ${client.status}`;
      return { kind: 'redis', ok: false, detail: `Redis at ${shownUrl} (REDIS_URL) unreachable: ${reason}; serving from the database` };
    },
    async close() {
      await localCounters.close();
      if (client.status === 'end') return;
      if (client.status !== 'ready') {
        client.disconnect();
        return;
      }
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
    waitForConnection(timeoutMs) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (connected: boolean): void => {
          clearTimeout(timer);
          client.off('ready', onReady);
          client.off('end', onEnd);
          resolve(connected);
        };
        const onReady = (): void => done(true);
        const onEnd = (): void => done(false);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once('ready', onReady);
        client.once('end', onEnd);
      });
    },
  };
}

/**
 * A Redis cache for the service mode, after waiting up to `timeoutMs` for the first connection so the
 * first requests do not all miss. An unreachable Redis does not stop the service: the cache is
 * returned degraded (health() says why) and connects when Redis comes back. A malformed URL throws.
 */
export async function connectRedisCache(
  url: string,
  keyPrefix: string,
  options: { readonly logger?: CacheLogger; readonly timeoutMs?: number } = {},
): Promise<RedisCache> {
  const cache = createRedisCache({ url, keyPrefix, ...(options.logger ? { logger: options.logger } : {}) });
  await cache.waitForConnection(options.timeoutMs ?? 3_000);
  return cache;
}
