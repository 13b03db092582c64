import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function openClient(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

/**
 * Whether tests of the service mode can reach Redis. Without a server they skip with a message;
 * under CI (CI=true) a missing server is a failure, never a skip.
 */
export async function redisAvailable(): Promise<boolean> {
  const client = openClient();
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`CI is set but Redis is not reachable at ${REDIS_URL}: ${(error as Error).message}`, { cause: error });
    console.warn(`Skipping Redis tests: no server at ${REDIS_URL} (${(error as Error).message})`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A key prefix unique to this test run. */
export function uniquePrefix(prefix = 'roach_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}:`;
}

/** Every key under `prefix`, read without any keyPrefix (to check what really landed in Redis). */
export async function keysUnder(prefix: string): Promise<string[]> {
  const client = openClient();
  await client.connect();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys.sort();
  } finally {
    client.disconnect();
  }
}

export async function cleanupPrefix(prefix: string): Promise<void> {
  const keys = await keysUnder(prefix);
  if (keys.length === 0) return;
  const client = openClient();
  await client.connect();
  try {
    await client.unlink(...keys);
  } finally {
    client.disconnect();
  }
}
