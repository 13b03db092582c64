import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RuleSelection } from '../engine/rules.js';
import { loadRules } from '../engine/rules.js';
import { createSecretScanner } from '../engine/secrets/scanner.js';
import type { SecretScanOptions } from '../engine/secrets/scanner.js';
import { analyzeFiles } from './analyze-file.js';
import type { AnalyzeTaskFile, FileOutcome } from './analyze-file.js';
import type { AnalyzeTask } from './analyze-worker.js';

/** Files per task: large enough to amortise messaging, small enough to balance threads. */
const BATCH_FILES = 48;
/** Below this many files, starting threads costs more than it saves. */
const IN_THREAD_LIMIT = 64;

// Workers always run the compiled worker (from src/ under tests too): `npm test` builds first.
const WORKER_FILE = fileURLToPath(new URL('../../dist/pipeline/analyze-worker.js', import.meta.url));

export interface AnalyzeAllOptions {
  readonly selection: RuleSelection;
  readonly files: readonly AnalyzeTaskFile[];
  /** Secrets scanning settings; absent: no secrets scan. */
  readonly secrets?: SecretScanOptions;
  /** Worker threads; default: one per core. 1 or a small job runs in this thread. */
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Analyzes files on a worker-thread pool sized to the machine, reporting progress as batches finish. */
export async function analyzeAll(options: AnalyzeAllOptions): Promise<FileOutcome[]> {
  const total = options.files.length;
  const threads = options.threads ?? defaultThreads();
  if (total === 0) return [];
  if (threads <= 1 || total <= IN_THREAD_LIMIT || !existsSync(WORKER_FILE)) {
    const rules = await loadRules(options.selection);
    const secrets = options.secrets ? createSecretScanner(options.secrets) : null;
    const out: FileOutcome[] = [];
    for (let i = 0; i < total; i += BATCH_FILES) {
      out.push(...(await analyzeFiles(options.files.slice(i, i + BATCH_FILES), rules, secrets)));
      options.onProgress?.(out.length, total);
    }
    return out;
  }
  const pool = new Piscina<AnalyzeTask, FileOutcome[]>({ filename: WORKER_FILE, minThreads: threads, maxThreads: threads });
  try {
    let done = 0;
    const batches: AnalyzeTaskFile[][] = [];
    for (let i = 0; i < total; i += BATCH_FILES) batches.push(options.files.slice(i, i + BATCH_FILES));
    const results = await Promise.all(
      batches.map(async (batch) => {
        const result = await pool.run({ selection: options.selection, files: batch, ...(options.secrets ? { secrets: options.secrets } : {}) });
        done += batch.length;
        options.onProgress?.(done, total);
        return result;
      }),
    );
    return results.flat();
  } finally {
    await pool.destroy();
  }
}
