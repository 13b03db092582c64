import { parentPort, workerData } from 'node:worker_threads';
import type { RuleSelection } from '../engine/rules.js';
import { loadRules } from '../engine/rules.js';
import { createSecretScanner } from '../engine/secrets/scanner.js';
import type { SecretScanOptions } from '../engine/secrets/scanner.js';
import { analyzeFiles } from './analyze-file.js';
import type { AnalyzeTaskFile, FileOutcome } from './analyze-file.js';

/** What a thread is started with: rules are loaded once per thread, before its first batch is timed. */
export interface AnalyzeWorkerData {
  readonly selection: RuleSelection;
  readonly secrets?: SecretScanOptions;
  /** The project root: files are read only inside it. */
  readonly root: string;
}

export interface AnalyzeRequest {
  readonly id: number;
  readonly files: readonly AnalyzeTaskFile[];
}

export type AnalyzeReply =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly error: string }
  | { readonly type: 'done'; readonly id: number; readonly outcomes: FileOutcome[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: string };

// Started by analysis-thread.ts as a worker thread; does nothing when imported elsewhere.
if (parentPort) {
  const port = parentPort;
  const data = workerData as AnalyzeWorkerData;
  const post = (reply: AnalyzeReply): void => port.postMessage(reply);
  try {
    const rules = await loadRules(data.selection);
    const secrets = data.secrets ? createSecretScanner(data.secrets) : null;
    port.on('message', (request: AnalyzeRequest) => {
      analyzeFiles(request.files, rules, secrets, data.root).then(
        (outcomes) => post({ type: 'done', id: request.id, outcomes }),
        (error: unknown) => post({ type: 'failed', id: request.id, error: error instanceof Error ? error.message : String(error) }),
      );
    });
    post({ type: 'ready' });
  } catch (error) {
    post({ type: 'start-failed', error: error instanceof Error ? error.message : String(error) });
  }
}
