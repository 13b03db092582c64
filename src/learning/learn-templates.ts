import { learnTemplates } from '../engine/learn/cluster.js';
import type { PatternExample, TemplateCluster } from '../engine/learn/cluster.js';
import { rankTemplates } from '../engine/learn/rank.js';
import type { LearningStore } from './ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { StoredLearnedTemplate } from '../fixes/ports.js';

export interface LearningRun {
  readonly examples: number;
  /** Templates learned in this run (each from two or more examples). */
  readonly clusters: readonly TemplateCluster[];
  /** The best template of each pattern this run touched, now the pattern's best fix. */
  readonly promoted: readonly StoredLearnedTemplate[];
}

/**
 * Re-ranks the stored templates of these patterns and makes each pattern's best one its best fix,
 * so a template with a better success record overtakes the one learned first.
 */
export async function promoteBestTemplates(store: LearningStore, project: ProjectRef, fingerprints: readonly string[]): Promise<StoredLearnedTemplate[]> {
  if (fingerprints.length === 0) return [];
  const byPattern = new Map<string, StoredLearnedTemplate[]>();
  for (const template of await store.learnedTemplates(project, fingerprints)) {
    const list = byPattern.get(template.patternFingerprint) ?? [];
    list.push(template);
    byPattern.set(template.patternFingerprint, list);
  }
  const promoted: StoredLearnedTemplate[] = [];
  for (const list of byPattern.values()) {
    const best = rankTemplates(list)[0];
    if (!best) continue;
    await store.promoteLearnedTemplate(project, best);
    promoted.push(best);
  }
  return promoted;
}

/** Learns templates from human fixes, stores them, and promotes each touched pattern's best one. */
export async function learnAndStore(
  store: LearningStore,
  project: ProjectRef,
  examples: readonly PatternExample[],
  source: 'review' | 'history',
  /** Patterns to re-rank even when nothing new was learned for them (a decision changed their record). */
  rerank: readonly string[] = [],
): Promise<LearningRun> {
  const clusters = learnTemplates(examples);
  await store.saveLearnedTemplates(
    project,
    clusters.map((cluster) => ({
      patternFingerprint: cluster.patternFingerprint,
      ruleId: cluster.ruleId,
      shape: cluster.shape,
      language: cluster.template.language,
      pattern: cluster.template.pattern,
      rewrite: cluster.template.rewrite,
      metavariables: cluster.template.metavariables,
      exampleCount: cluster.examples.length,
      source,
    })),
  );
  const promoted = await promoteBestTemplates(store, project, [...new Set([...clusters.map((cluster) => cluster.patternFingerprint), ...rerank])]);
  return { examples: examples.length, clusters, promoted };
}
