import path from 'node:path';
import { contentHash } from '../domain/fingerprint.js';
import type { ProjectRef } from '../domain/project-ref.js';
import { readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';
import { replacementsOf } from './fix-summary.js';
import type { FixSummary } from './fix-summary.js';
import type { FixStore } from './ports.js';

/**
 * The fixes earlier crawls queued that still wait for review, as this crawl's SARIF shows them: a CI job
 * that uploads SARIF on every run keeps each result's proposed fix, not only on the run that made it. A fix
 * whose files changed since is left out (its edits no longer fit them; the next crawl of those files
 * replaces it).
 */
export async function earlierQueuedFixes(store: Pick<FixStore, 'listFixes' | 'fixFiles'>, project: ProjectRef, root: string, proposedNow: ReadonlySet<string>): Promise<FixSummary[]> {
  const summaries: FixSummary[] = [];
  for (const fix of await store.listFixes(project, ['pending'])) {
    if (proposedNow.has(fix.id)) continue;
    const texts = new Map<string, string>();
    let current = true;
    for (const file of await store.fixFiles(project, fix.id)) {
      if (file.created) continue;
      const bytes = await readProjectFile(root, path.join(root, file.path)).catch(() => null);
      const decoded = bytes && contentHash(bytes) === file.originalSha256 ? decodeSource(bytes) : null;
      if (!decoded || !decoded.ok) {
        current = false;
        break;
      }
      texts.set(file.path, decoded.text);
    }
    if (!current) continue;
    summaries.push({
      fixId: fix.id,
      ruleId: fix.ruleId,
      file: fix.filePath,
      line: fix.line,
      strategy: fix.strategy,
      safety: fix.safety,
      confidence: fix.confidence,
      decision: 'queued',
      reason: fix.statusReason,
      ...(fix.explanation ? { explanation: fix.explanation } : {}),
      ...(fix.strategy === 'llm' ? { generationCostUsd: fix.generationCostUsd } : {}),
      replacements: replacementsOf(fix.edits, texts),
    });
  }
  return summaries;
}
