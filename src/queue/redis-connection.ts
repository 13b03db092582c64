import { Redis } from 'ioredis';
import { RoachError } from '../domain/errors.js';
import { assertRedisUrl, maskRedisUrl } from '../config/redis-url.js';

/**
 * Opens an ioredis connection for BullMQ (which needs `maxRetriesPerRequest: null` so blocking
 * commands wait out a reconnect) and waits for it, failing with a message naming REDIS_URL.
 */
export async function connectQueueRedis(url: string, timeoutMs = 5_000): Promise<Redis> {
  try {
    assertRedisUrl(url);
  } catch (error) {
    throw new RoachError('CR_ERR_SERVICE_CONFIG', (error as Error).message, { setting: 'REDIS_URL' });
  }
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: timeoutMs });
  let lastError: Error | null = null;
  // Reconnects are ioredis' job; an unhandled 'error' event would crash the process.
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => setTimeout(() => reject(lastError ?? new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    // ioredis reports "Connection is closed" for a refused connection; the socket error says why.
    const message = ((lastError as Error | null) ?? (error as Error)).message.replace(/\.$/, '');
    const reason = /NOAUTH|WRONGPASS|invalid password/i.test(message) ? 'the server refused the password' : message;
    throw new RoachError('CR_ERR_REDIS_UNREACHABLE', `Cannot connect to Redis at REDIS_URL=${maskRedisUrl(url)}: ${reason}.`, { setting: 'REDIS_URL' }, { cause: error });
  }
  return redis;
}
