import { existsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RuleSelection } from '../engine/rules.js';
import { loadRules } from '../engine/rules.js';
import { createSecretScanner } from '../engine/secrets/scanner.js';
import type { SecretScanOptions } from '../engine/secrets/scanner.js';
import { analyzeFiles } from './analyze-file.js';
import type { AnalyzeTaskFile, FileOutcome } from './analyze-file.js';
import { AnalysisThread } from './analysis-thread.js';
import type { BatchResult } from './analysis-thread.js';

/** Files per task: large enough to amortise messaging, small enough to balance threads. */
const BATCH_FILES = 48;
/** Jobs this small (files and bytes) run in this thread: starting threads costs more than it saves. */
const IN_THREAD_FILES = 64;
const IN_THREAD_BYTES = 64 * 1024;
const MIB = 1024 * 1024;
/** Files above this size are analyzed one per task. */
const LARGE_FILE_BYTES = 256 * 1024;

// Workers always run the compiled worker (from src/ under tests too): `npm test` builds first.
const WORKER_FILE = fileURLToPath(new URL('../../dist/crawl/analyze-worker.js', import.meta.url));

/**
 * Limits on analysing one file, so that no single input (a 50 MB file once maxFileSizeBytes is
 * raised, a 57 MB array literal) can hold the crawl for minutes or take the process's memory: a file
 * that overruns them is skipped with the reason and the crawl goes on.
 */
export interface AnalysisLimits {
  /** Wall-clock time one file's analysis may take. A batch gets one file's budget; one that overruns is retried file by file. */
  readonly fileTimeoutMs: number;
  /** V8 heap of each analysis thread, in MiB. */
  readonly threadHeapMb: number;
  /**
   * Resident memory (native parser memory included, which no thread heap limit sees), in MiB, that
   * the analyses running at once may add to the process: past it they are stopped. Growth rather than
   * a ceiling, because memory freed by a stopped thread is not always given back to the system.
   */
  readonly fileMemoryMb: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = Object.freeze({
  fileTimeoutMs: 60_000,
  threadHeapMb: 1_024,
  fileMemoryMb: Math.max(512, Math.min(4_096, Math.floor((totalmem() / MIB) * 0.4))),
});

export interface AnalyzeAllOptions {
  readonly selection: RuleSelection;
  /** The project root: files are read only inside it. */
  readonly root: string;
  readonly files: readonly AnalyzeTaskFile[];
  /** Secrets scanning settings; absent: no secrets scan. */
  readonly secrets?: SecretScanOptions;
  /** Worker threads; default: one per core. */
  readonly threads?: number;
  readonly limits?: Partial<AnalysisLimits>;
  readonly onProgress?: (done: number, total: number) => void;
}

function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A unit of work. `batch`: several files; `single`: one file, after its batch failed; `alone`: one
 * file that failed while the process memory guard tripped, run again with nothing beside it so the
 * blame is certain.
 */
interface Job {
  readonly files: readonly AnalyzeTaskFile[];
  readonly kind: 'batch' | 'single' | 'alone';
}

/** Analyzes files on worker threads, each file within the limits; reports progress as files finish. */
export async function analyzeAll(options: AnalyzeAllOptions): Promise<FileOutcome[]> {
  const total = options.files.length;
  if (total === 0) return [];
  const bytes = options.files.reduce((sum, file) => sum + (file.sizeBytes ?? Number.POSITIVE_INFINITY), 0);
  if ((total <= IN_THREAD_FILES && bytes <= IN_THREAD_BYTES) || !existsSync(WORKER_FILE)) return analyzeInThread(options);
  const limits = { ...DEFAULT_ANALYSIS_LIMITS, ...options.limits };
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), Math.ceil(total / BATCH_FILES)));
  const data = { selection: options.selection, root: options.root, ...(options.secrets ? { secrets: options.secrets } : {}) };
  const pool: (AnalysisThread | null)[] = Array.from({ length: threads }, () => null);
  const outcomes = new Map<string, FileOutcome>();
  const queue: Job[] = [];
  // A large file goes on its own from the start: if it overruns, nothing else is analyzed twice.
  const large = options.files.filter((file) => (file.sizeBytes ?? Number.POSITIVE_INFINITY) > LARGE_FILE_BYTES);
  const rest = options.files.filter((file) => (file.sizeBytes ?? Number.POSITIVE_INFINITY) <= LARGE_FILE_BYTES);
  queue.push(...large.map((file): Job => ({ files: [file], kind: 'single' })));
  for (let i = 0; i < rest.length; i += BATCH_FILES) queue.push({ files: rest.slice(i, i + BATCH_FILES), kind: 'batch' });
  // Slot -> the job it runs and the process's resident memory when the job's analysis began.
  const running = new Map<number, { job: Job; rssAtStart: number }>();
  const tripped = new Set<number>();

  const watchdog = setInterval(() => {
    const started = [...running.values()].map((r) => r.rssAtStart).filter((rss) => rss > 0);
    if (started.length === 0) return;
    const grown = (process.memoryUsage.rss() - Math.min(...started)) / MIB;
    if (grown <= limits.fileMemoryMb) return;
    for (const [slot] of running) {
      tripped.add(slot);
      pool[slot]?.stop({ ok: false, reason: 'analysis-memory', detail: `the analysis added more than ${limits.fileMemoryMb} MiB of resident memory (${Math.round(grown)} MiB)` });
    }
  }, 50);
  watchdog.unref();

  const settle = (job: Job, result: BatchResult, memoryGuard: boolean): void => {
    if (result.ok) {
      for (const outcome of result.outcomes) outcomes.set(outcome.path, outcome);
      options.onProgress?.(outcomes.size, total);
      return;
    }
    if (job.kind === 'batch') {
      // Which file of the batch was at fault is unknown: each is tried on its own, with its own budget.
      queue.push(...job.files.map((file): Job => ({ files: [file], kind: 'single' })));
      return;
    }
    const file = job.files[0] as AnalyzeTaskFile;
    if (job.kind === 'single' && memoryGuard) {
      queue.push({ files: [file], kind: 'alone' });
      return;
    }
    outcomes.set(file.path, { path: file.path, status: 'skipped', reason: result.reason, detail: result.detail });
    options.onProgress?.(outcomes.size, total);
  };

  const runSlot = async (slot: number, job: Job): Promise<void> => {
    let thread = pool[slot];
    if (!thread?.alive) {
      thread = new AnalysisThread(WORKER_FILE, data, limits.threadHeapMb);
      pool[slot] = thread;
    }
    const entry = { job, rssAtStart: 0 };
    running.set(slot, entry);
    try {
      const result = await thread.run(job.files, limits.fileTimeoutMs, () => {
        entry.rssAtStart = process.memoryUsage.rss();
      });
      settle(job, result, tripped.has(slot));
    } finally {
      running.delete(slot);
      tripped.delete(slot);
    }
  };

  try {
    const active = new Map<number, Promise<void>>();
    while (queue.length > 0 || active.size > 0) {
      for (let slot = 0; slot < threads && queue.length > 0; slot++) {
        if (active.has(slot)) continue;
        // An `alone` job waits until nothing else runs, and nothing starts beside it.
        const next = queue[0] as Job;
        if (next.kind === 'alone' && active.size > 0) break;
        if ([...running.values()].some((r) => r.job.kind === 'alone')) break;
        queue.shift();
        active.set(slot, runSlot(slot, next).finally(() => active.delete(slot)));
      }
      if (active.size > 0) await Promise.race(active.values());
    }
  } finally {
    clearInterval(watchdog);
    for (const thread of pool) thread?.stop({ ok: false, reason: 'analysis-failed', detail: 'the pool was closed' });
  }
  return options.files.map((file) => outcomes.get(file.path) as FileOutcome);
}

/** Small jobs: analysed here, in batches, with no thread to start. */
async function analyzeInThread(options: AnalyzeAllOptions): Promise<FileOutcome[]> {
  const rules = await loadRules(options.selection);
  const secrets = options.secrets ? createSecretScanner(options.secrets) : null;
  const out: FileOutcome[] = [];
  for (let i = 0; i < options.files.length; i += BATCH_FILES) {
    out.push(...(await analyzeFiles(options.files.slice(i, i + BATCH_FILES), rules, secrets, options.root)));
    options.onProgress?.(out.length, options.files.length);
  }
  return out;
}
