import type { SgNode } from '@ast-grep/napi';
import type { FindingTrace } from '../../domain/finding.js';
import { TaintFlow } from './flow.js';
import type { FileCache } from './flow.js';
import type { CompiledTaint } from './spec.js';

export { newFileCache } from './flow.js';
export type { FileCache } from './flow.js';

/**
 * For a rule with a taint section: the path by which a source reaches one of the sink's metavariables
 * in this match, or null when none does (constant, sanitised or unrelated input: no finding).
 * Called only for matches of the sink pattern, so files without sinks cost nothing. `prefix` is what
 * the rule's metavariable names carry when it was matched in a combined pass.
 */
export function taintTraceOf(taint: CompiledTaint, match: SgNode, prefix: string, cache: FileCache): FindingTrace | null {
  const flow = new TaintFlow(taint, match.getRoot().root(), cache);
  for (const name of taint.sinks) {
    const single = match.getMatch(prefix + name);
    for (const node of single ? [single] : match.getMultipleMatches(prefix + name)) {
      const value = flow.valueOf(node);
      if (value.kind === 'tainted') return value.trace;
    }
  }
  return null;
}

/** " Untrusted data from req.query.id (line 3) via q (line 5)." for the finding's message (lines 1-based). */
export function describeTrace(trace: FindingTrace): string {
  const via = trace.steps.map((s) => `${s.label} (line ${s.line + 1})`).join(', then ');
  return `Untrusted data from ${trace.source.label} (line ${trace.source.line + 1})${via ? ` via ${via}` : ''}.`;
}
