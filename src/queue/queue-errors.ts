/** Where a BullMQ error came from: a queue (enqueue side), a Redis connection, or a worker. */
export type QueueErrorSource = 'queue' | 'connection' | 'worker';

export interface QueueErrorReport {
  readonly source: QueueErrorSource;
  /** The queue (job kind) concerned; `*` for the connection all queues share. */
  readonly queue: string;
  readonly error: Error;
  /** Errors of the same source and queue left out since the last one reported (rate limit). */
  readonly suppressed: number;
}

/** Where queue errors go: the process's logger, passed in by the composition root. */
export type QueueErrorSink = (report: QueueErrorReport) => void;

/**
 * A reporter that passes on the first error of each source and queue, then at most one per
 * `intervalMs`, with the count of those left out in between: a Redis outage makes ioredis and BullMQ
 * emit an error every few hundred milliseconds per connection, which would otherwise flood the log.
 */
export function rateLimitedQueueErrors(sink: QueueErrorSink, intervalMs = 30_000, now: () => number = Date.now): (source: QueueErrorSource, queue: string, error: Error) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (source, queue, error) => {
    const key = `${source}\0${queue}`;
    const seen = last.get(key);
    const at = now();
    if (seen && at - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    last.set(key, { at, suppressed: 0 });
    sink({ source, queue, error, suppressed: seen?.suppressed ?? 0 });
  };
}

/** One log line for a queue error, for sinks that write text. */
export function describeQueueError(report: QueueErrorReport): string {
  const more = report.suppressed > 0 ? ` (${report.suppressed} more since the last report)` : '';
  return `queue ${report.source} error on ${report.queue === '*' ? 'the shared Redis connection' : `queue "${report.queue}"`}: ${report.error.message}${more}`;
}
