import { Worker } from 'node:worker_threads';
import type { AnalyzeTaskFile, FileOutcome } from './analyze-file.js';
import type { AnalyzeReply, AnalyzeRequest, AnalyzeWorkerData } from './analyze-worker.js';
import { ignoreError } from '../domain/ignore-error.js';

/** How a batch ended in a thread: its outcomes, or why the thread gave none (the thread is then gone). */
export type BatchResult =
  | { readonly ok: true; readonly outcomes: FileOutcome[] }
  | { readonly ok: false; readonly reason: 'analysis-timeout' | 'analysis-memory' | 'analysis-failed'; readonly detail: string };

/**
 * One analysis worker thread. Its V8 heap is capped (resourceLimits), so a file whose analysis grows
 * the heap past it ends the thread (ERR_WORKER_OUT_OF_MEMORY), not the process; a batch that overruns
 * its time budget, or that `stop()` ends, terminates the thread. A thread that ended is not reused.
 */
export class AnalysisThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private current: { id: number; settle: (result: BatchResult) => void } | null = null;
  private ended: BatchResult | null = null;
  private nextId = 0;

  constructor(file: string, data: AnalyzeWorkerData, heapMb: number) {
    this.worker = new Worker(file, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.floor(heapMb / 8))) } });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (reply: AnalyzeReply) => {
        if (reply.type === 'ready') resolve();
        else if (reply.type === 'start-failed') reject(new Error(`analysis thread could not start: ${reply.error}`));
        else if (this.current?.id === reply.id) {
          this.settle(reply.type === 'done' ? { ok: true, outcomes: reply.outcomes } : { ok: false, reason: 'analysis-failed', detail: reply.error });
        }
      });
      this.worker.on('error', (error: Error & { code?: string }) => {
        const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        this.end({ ok: false, reason: memory ? 'analysis-memory' : 'analysis-failed', detail: memory ? `the analysis heap went over ${heapMb} MiB` : error.message });
        reject(error);
      });
      this.worker.on('exit', (code) => {
        this.end({ ok: false, reason: 'analysis-failed', detail: `the analysis thread exited (code ${code})` });
        reject(new Error(`analysis thread exited before it was ready (code ${code})`));
      });
    });
    this.ready.catch(ignoreError('whoever runs a batch handles the rejection; a thread nobody used must not crash the process'));
  }

  get busy(): boolean {
    return this.current !== null;
  }

  get alive(): boolean {
    return this.ended === null;
  }

  /**
   * Analyzes `files`; the budget is counted from when the thread is ready (loading the rules is not
   * the files' fault) and the thread is terminated when it runs out.
   */
  async run(files: readonly AnalyzeTaskFile[], budgetMs: number, onStart?: () => void): Promise<BatchResult> {
    if (this.ended) return this.ended;
    try {
      await this.ready;
    } catch (error) {
      // Stopped or out of memory while starting: the batch ends with that reason; a rule that will
      // not load is the crawl's error, not the files'.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the thread may end (stop, exit, out of memory) while we await it
      if (this.ended) return this.ended;
      throw error;
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the thread may end (stop, exit, out of memory) while we await it
    if (this.ended) return this.ended;
    const id = this.nextId++;
    return new Promise<BatchResult>((resolve) => {
      const timer = setTimeout(() => this.stop({ ok: false, reason: 'analysis-timeout', detail: `analysis took longer than ${budgetMs} ms` }), budgetMs);
      this.current = {
        id,
        settle: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      onStart?.();
      this.worker.postMessage({ id, files } satisfies AnalyzeRequest);
    });
  }

  /** Ends the thread; the batch it was running (if any) resolves with `why`. */
  stop(why: BatchResult & { ok: false }): void {
    this.end(why);
    void this.worker.terminate();
  }

  private settle(result: BatchResult): void {
    const current = this.current;
    this.current = null;
    current?.settle(result);
  }

  private end(why: BatchResult): void {
    if (this.ended) return;
    this.ended = why;
    this.settle(why);
  }
}
