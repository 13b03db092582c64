#!/usr/bin/env node
// One BullMQ worker process for bench/service-bench.mjs (see bench/README.md). Started by the bench,
// never by hand:
//
//   node bench/service-bench-worker.mjs <redis-url> <prefix> <concurrency> <rate-per-minute>
//
// It talks to its parent over IPC: it sends {type:'ready'} once its modules are loaded and Redis is
// connected, starts taking `analysis` jobs on {type:'go'}, and on {type:'stop'} closes and answers
// {type:'done', completed, failed, lastCompletedAt, cpuMs} (cpuMs: CPU time since "go"). It exits when its parent goes away.
//
// Also exports the benchmark's job handler, so the in-process reference runs the same work.
import { createHash } from 'node:crypto';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BLOCK = Buffer.alloc(1024, 0x61);
/** Hashes per job: a small, fixed amount of CPU work (≈0.1 ms), so throughput reflects queue overhead. */
export const HASHES_PER_JOB = 50;

/** The `analysis` handler used by every configuration: SHA-256 of 1 KiB, HASHES_PER_JOB times. */
export async function benchHandler(payload) {
  let digest = Buffer.from(payload.projectId);
  for (let i = 0; i < HASHES_PER_JOB; i++) digest = createHash('sha256').update(BLOCK).update(digest).digest();
  return digest[0];
}

async function main() {
  const [redisUrl, prefix, concurrencyArg, rateArg] = process.argv.slice(2);
  if (!redisUrl || !prefix || !process.send) throw new Error('usage: node bench/service-bench-worker.mjs <redis-url> <prefix> <concurrency> <rate-per-minute> (IPC channel required)');
  const concurrency = Number(concurrencyArg ?? 5);
  const ratePerMinute = Number(rateArg ?? 1_000_000);
  const dist = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist', 'queue');
  const { connectQueueRedis } = await import(pathToFileURL(path.join(dist, 'redis-connection.js')).href);
  const { createBullQueue } = await import(pathToFileURL(path.join(dist, 'bullmq-queue.js')).href);
  const { describeQueueError } = await import(pathToFileURL(path.join(dist, 'queue-errors.js')).href);

  const redis = await connectQueueRedis(redisUrl);
  const queue = createBullQueue({ redis, prefix, onError: (report) => process.stderr.write(`${describeQueueError(report)}\n`) });
  let running = null;
  let completed = 0;
  let failed = 0;
  let lastCompletedAt = null;
  let cpuAtGo = null;
  const failures = [];

  // Never outlive the bench: if it dies, so do we.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    if (message?.type === 'go' && !running) {
      cpuAtGo = process.cpuUsage();
      running = queue.work(
        { analysis: benchHandler },
        {
          concurrency,
          ratePerMinute,
          onEvent: (event) => {
            if (event.type === 'completed') {
              completed++;
              lastCompletedAt = Date.now();
            } else if (event.type === 'failed') {
              failed++;
              if (failures.length < 3) failures.push(event.reason);
            }
          },
        },
      );
    } else if (message?.type === 'stop') {
      await running?.close(2_000);
      await queue.close();
      redis.disconnect();
      const cpu = process.cpuUsage(cpuAtGo ?? undefined);
      process.send({ type: 'done', completed, failed, failures, lastCompletedAt, cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
    }
  });
  process.send({ type: 'ready' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    process.stderr.write(`[service-bench-worker] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
