import { applyLearnedTemplate } from './apply-template.js';
import { afterRegionOf } from './after-region.js';
import { learnTemplate } from './learn-template.js';
import type { FixExample, LearnedTemplate } from './learn-template.js';

/** A human fix of one finding, with the pattern it belongs to. */
export interface PatternExample extends FixExample {
  readonly ruleId: string;
  readonly patternFingerprint: string;
  readonly shape: string;
}

/** A template and the examples it reproduces exactly. */
export interface TemplateCluster {
  readonly ruleId: string;
  readonly patternFingerprint: string;
  readonly shape: string;
  readonly template: LearnedTemplate;
  readonly examples: readonly PatternExample[];
}

/** A cap per pattern: clustering tries each example against each cluster. */
const MAX_EXAMPLES_PER_PATTERN = 60;

function reproduces(template: LearnedTemplate, example: FixExample): boolean {
  const region = afterRegionOf(example.before, example.start, example.end, example.after);
  if (!region) return false;
  const text = applyLearnedTemplate({ source: example.before, language: example.language, start: example.start, end: example.end }, template);
  return text === example.after.slice(region.start, region.end);
}

interface Cluster {
  examples: PatternExample[];
  template: LearnedTemplate | null;
}

/**
 * Groups a pattern's examples by the fix humans made: an example joins the first cluster whose
 * template already reproduces it, or whose examples it can be generalised with (re-learning the
 * template over all of them); otherwise it starts a cluster. Different fixes of the same pattern thus
 * become competing templates rather than one failed generalisation. Clusters of one teach nothing.
 */
function clusterPattern(examples: readonly PatternExample[]): Cluster[] {
  const clusters: Cluster[] = [];
  for (const example of examples.slice(0, MAX_EXAMPLES_PER_PATTERN)) {
    let placed = false;
    for (const cluster of clusters) {
      if (cluster.template && reproduces(cluster.template, example)) {
        cluster.examples.push(example);
        placed = true;
        break;
      }
      const learned = learnTemplate([...cluster.examples, example]);
      if (learned.ok) {
        cluster.examples.push(example);
        cluster.template = learned.template;
        placed = true;
        break;
      }
    }
    if (!placed) clusters.push({ examples: [example], template: null });
  }
  return clusters;
}

/** Learns every template the examples support, per pattern fingerprint. */
export function learnTemplates(examples: readonly PatternExample[]): TemplateCluster[] {
  const byPattern = new Map<string, PatternExample[]>();
  for (const example of examples) {
    const list = byPattern.get(example.patternFingerprint) ?? [];
    list.push(example);
    byPattern.set(example.patternFingerprint, list);
  }
  const out: TemplateCluster[] = [];
  for (const list of byPattern.values()) {
    for (const cluster of clusterPattern(list)) {
      const head = cluster.examples[0];
      if (!cluster.template || !head) continue;
      out.push({ ruleId: head.ruleId, patternFingerprint: head.patternFingerprint, shape: head.shape, template: cluster.template, examples: cluster.examples });
    }
  }
  return out;
}
