export type CacheKind = 'memory' | 'redis';

export interface CacheHealth {
  readonly kind: CacheKind;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * A key-value cache of JSON values with per-key expiry. Implementations: an in-process LRU for the
 * embedded mode and Redis for the service mode; both pass the same conformance suite.
 *
 * A cache is never the source of truth: callers treat a miss, or a cache that is down, as "ask the
 * database". TTLs are in seconds and may be fractional; keys and TTLs come from `keys.ts`.
 */
export interface Cache {
  readonly kind: CacheKind;
  /** The stored value, or undefined on a miss (expired, evicted, never set, or cache unreachable). */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON copy of `value`; later changes to `value` do not reach the cache. */
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /** Deletes every key starting with `prefix` (a family of keys, e.g. one organization's patterns). */
  delByPrefix(prefix: string): Promise<void>;
  /** Adds one to a counter and returns it. The TTL starts at the first increment and is not extended. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  health(): Promise<CacheHealth>;
  close(): Promise<void>;
}

/** Milliseconds for a TTL in seconds. A non-positive or non-finite TTL is a bug in the caller. */
export function ttlMilliseconds(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`cache TTL must be a positive number of seconds, got ${ttlSeconds}`);
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

/** The JSON text stored for `value`; values JSON cannot represent (undefined, functions) are a bug in the caller. */
export function toCacheJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError(`cannot cache a value of type ${typeof value}: it has no JSON form`);
  return json;
}
