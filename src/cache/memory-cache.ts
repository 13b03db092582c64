import { type Cache, toCacheJson, ttlMilliseconds } from './cache.js';

export interface MemoryCacheOptions {
  /** Upper bound on entries; the least recently used entry is evicted first. */
  readonly maxEntries?: number;
  /** Clock in epoch milliseconds; tests pass a fake one to expire entries without waiting. */
  readonly now?: () => number;
}

interface Entry {
  // JSON text, not the object: callers cannot mutate what is cached, and values behave as in Redis.
  readonly json: string;
  readonly expiresAt: number;
}

/**
 * An in-process LRU cache with per-entry expiry, for the embedded mode (and as the Redis cache's
 * fallback for counters). A Map iterates in insertion order, so re-inserting on access keeps the
 * least recently used entry first.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  const entries = new Map<string, Entry>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    entries.delete(key);
    if (entry.expiresAt <= now()) return undefined;
    entries.set(key, entry);
    return entry;
  }

  function put(key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  }

  return {
    kind: 'memory',
    async get<T>(key: string): Promise<T | undefined> {
      const entry = live(key);
      return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
    },
    async set(key, value, ttlSeconds) {
      put(key, { json: toCacheJson(value), expiresAt: now() + ttlMilliseconds(ttlSeconds) });
    },
    async del(keys) {
      for (const key of keys) entries.delete(key);
    },
    async delByPrefix(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    async incr(key, ttlSeconds) {
      const ttl = ttlMilliseconds(ttlSeconds);
      const entry = live(key);
      const current = entry === undefined ? undefined : (JSON.parse(entry.json) as unknown);
      // A key holding something other than a counter starts a new counter rather than failing a rate limit.
      if (entry === undefined || !Number.isSafeInteger(current)) {
        put(key, { json: '1', expiresAt: now() + ttl });
        return 1;
      }
      const next = (current as number) + 1;
      put(key, { json: String(next), expiresAt: entry.expiresAt });
      return next;
    },
    async health() {
      return { kind: 'memory', ok: true, detail: `in-process cache, ${entries.size} of ${maxEntries} entries` };
    },
    async close() {
      entries.clear();
    },
  };
}
