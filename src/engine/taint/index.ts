import type { SgNode } from '@ast-grep/napi';
import type { FindingTrace } from '../../domain/finding.js';
import { TaintFlow } from './flow.js';
import type { FileCache } from './flow.js';
import { setsPossible, sourceHints } from './sources.js';
import type { CompiledTaint } from './spec.js';

export { newFileCache } from './flow.js';

const CONSTANT_KINDS = new Set(['string', 'number', 'true', 'false', 'null', 'undefined', 'regex', 'arrow_function', 'function_expression', 'function']);
export type { FileCache } from './flow.js';

/**
 * For a rule with a taint section: the path by which a source reaches one of the sink's metavariables
 * in this match, or null when none does (constant, sanitised or unrelated input: no finding).
 * Called only for matches of the sink pattern, so files without sinks cost nothing. `prefix` is what
 * the rule's metavariable names carry when it was matched in a combined pass.
 */
export function taintTraceOf(taint: CompiledTaint, match: SgNode, prefix: string, cache: FileCache): FindingTrace | null {
  const values = taint.sinks.flatMap((name) => {
    const single = match.getMatch(prefix + name);
    return single ? [single] : match.getMultipleMatches(prefix + name);
  });
  // Most sinks hold a literal (require('fs'), new RegExp('^a')): nothing can flow into those.
  if (values.every((node) => CONSTANT_KINDS.has(String(node.kind())))) return null;
  const root = match.getRoot().root();
  cache.hints ??= sourceHints(root);
  // A path from a remote sender wins over one from the command line or environment.
  const remote = taint.remote && traceFrom(taint.remote, values, root, cache);
  if (remote) return remote;
  const trace = traceFrom(taint, values, root, cache);
  return trace && taint.remote ? { ...trace, local: true } : trace;
}

function traceFrom(taint: CompiledTaint, values: readonly SgNode[], root: SgNode, cache: FileCache): FindingTrace | null {
  const hints = cache.hints ?? sourceHints(root);
  if (taint.sourceRules.length === 0 && !setsPossible(taint.sourceSets, hints)) return null;
  const flow = new TaintFlow(taint, root, cache);
  for (const node of values) {
    const value = flow.sinkValue(node);
    if (value.kind === 'tainted') return value.trace;
  }
  return null;
}

/** " Untrusted data from req.query.id (line 3) via q (line 5)." for the finding's message (lines 1-based). */
export function describeTrace(trace: FindingTrace): string {
  const via = trace.steps.map((s) => `${s.label} (line ${s.line + 1})`).join(', then ');
  return `Untrusted data from ${trace.source.label} (line ${trace.source.line + 1})${via ? ` via ${via}` : ''}.`;
}
