import type { Command } from 'commander';
import { parseNumber } from '../../config/flag-values.js';

const wholeNumber = (value: string, flag: string, min: number, max: number): number => parseNumber(value, flag, min, max, true);

interface WorkerFlags {
  readonly queues?: string;
  readonly concurrency: string;
  readonly rateLimit: string;
  readonly shutdownGrace: string;
  readonly lockDuration?: string;
  readonly stalledInterval?: string;
  readonly threads?: string;
  readonly metricsPort?: string;
  readonly metricsHost: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Process jobs from the shared queues (needs REDIS_URL and DATABASE_URL); stops cleanly on SIGTERM.')
    .option('--queues <list>', 'comma-separated queues to serve (default: all of them)')
    .option('--concurrency <n>', 'jobs at once per queue', '5')
    .option('--rate-limit <n>', 'jobs started per minute per queue', '10')
    .option('--shutdown-grace <ms>', 'on SIGTERM, how long running jobs may finish before they are handed back', '30000')
    .option('--lock-duration <ms>', 'a job whose worker stops renewing its lock this long is stalled and taken over (default 30000)')
    .option('--stalled-interval <ms>', 'how often to look for stalled jobs (default 30000)')
    .option('--threads <n>', 'analysis threads per crawl job (default: one per core)')
    .option('--metrics-port <port>', 'serve Prometheus metrics at GET /metrics on this port (Bearer ROACH_METRICS_TOKEN when set)')
    .option('--metrics-host <host>', 'address the metrics listener binds to (internal only by default)', '127.0.0.1')
    .action(async (flags: WorkerFlags) => {
      const [{ pino }, { loadEnvironment }, { ALL_QUEUES, describeQueueError, parseQueueList, startWorker }] = await Promise.all([
        import('pino'),
        import('../../config/environment.js'),
        import('../../main/run-worker.js'),
      ]);
      const log = pino({ name: 'roach-worker' });
      const worker = await startWorker(loadEnvironment(), {
        queues: parseQueueList(flags.queues ?? ALL_QUEUES),
        concurrency: wholeNumber(flags.concurrency, '--concurrency', 1, 1000),
        ratePerMinute: wholeNumber(flags.rateLimit, '--rate-limit', 1, 10_000_000),
        graceMs: wholeNumber(flags.shutdownGrace, '--shutdown-grace', 0, 3_600_000),
        lockDurationMs: flags.lockDuration ? wholeNumber(flags.lockDuration, '--lock-duration', 500, 3_600_000) : undefined,
        stalledIntervalMs: flags.stalledInterval ? wholeNumber(flags.stalledInterval, '--stalled-interval', 200, 3_600_000) : undefined,
        threads: flags.threads ? wholeNumber(flags.threads, '--threads', 1, 256) : undefined,
        metricsPort: flags.metricsPort !== undefined ? wholeNumber(flags.metricsPort, '--metrics-port', 0, 65_535) : undefined,
        metricsHost: flags.metricsHost,
        onQueueError: (report) => log.error({ queue: report.queue, source: report.source, suppressed: report.suppressed, err: report.error }, describeQueueError(report)),
        onEvent: (event) => (event.type === 'failed' ? log.warn(event, 'job failed') : log.info(event, `job ${event.type}`)),
      });
      log.info(`worker ready: ${worker.description}${worker.metricsAddress ? `; metrics at ${worker.metricsAddress}` : ''}`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          log.info({ signal }, 'stopping: finishing running jobs');
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          worker.stop().then(resolve, (error: unknown) => {
            log.error({ err: error }, 'stopping failed');
            resolve();
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      log.info('worker stopped');
    });
}
