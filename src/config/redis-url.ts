/** `redis://user:secret@host` -> `redis://user:***@host`, also for strings that are not valid URLs. */
export function maskRedisUrl(url: string): string {
  return url.replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@');
}

/**
 * Checks REDIS_URL before it reaches ioredis, which would read `redis//x` as a host named "redis".
 * Throws a plain Error naming REDIS_URL (main/ maps it onto the error catalogue).
 */
export function assertRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`REDIS_URL is not a valid URL: "${maskRedisUrl(url)}" (expected redis://[:password@]host[:port][/db])`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL has unsupported protocol "${parsed.protocol}" in "${maskRedisUrl(url)}" (expected redis:// or rediss://)`);
  }
  if (parsed.hostname === '') throw new Error(`REDIS_URL has no host: "${maskRedisUrl(url)}" (expected redis://[:password@]host[:port][/db])`);
  if (!/^\/?\d*$/.test(parsed.pathname)) throw new Error(`REDIS_URL database must be a number: "${maskRedisUrl(url)}"`);
}
