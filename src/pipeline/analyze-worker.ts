import type { RuleSelection, RuleSet } from '../engine/rules.js';
import { loadRules } from '../engine/rules.js';
import { createSecretScanner } from '../engine/secrets/scanner.js';
import type { SecretScanOptions } from '../engine/secrets/scanner.js';
import { analyzeFiles } from './analyze-file.js';
import type { AnalyzeTaskFile, FileOutcome } from './analyze-file.js';

export interface AnalyzeTask {
  readonly selection: RuleSelection;
  readonly files: readonly AnalyzeTaskFile[];
  readonly secrets?: SecretScanOptions;
}

// Rules are loaded once per worker thread and selection, not once per task.
const cache = new Map<string, Promise<RuleSet>>();

/** Piscina entry point: analyzes a batch of files in this worker thread. */
export default async function analyzeBatch(task: AnalyzeTask): Promise<FileOutcome[]> {
  const key = JSON.stringify(task.selection);
  let rules = cache.get(key);
  if (!rules) {
    rules = loadRules(task.selection);
    cache.set(key, rules);
  }
  const loaded = await rules;
  const secrets = task.secrets ? createSecretScanner(task.secrets) : null;
  return analyzeFiles(task.files, loaded, secrets);
}
