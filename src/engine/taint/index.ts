import type { SgNode } from '@ast-grep/napi';
import type { FindingTrace } from '../../domain/finding.js';
import { entryName, entryOfLabel, TaintFlow } from './flow.js';
import type { FileCache, FlowBudget } from './flow.js';
import type { ModuleEntry } from '../../domain/module-facts.js';
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
  const values = sinkValues(taint, match, prefix);
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

function traceFrom(taint: CompiledTaint, values: readonly SgNode[], root: SgNode, cache: FileCache, budget: FlowBudget | null = null): FindingTrace | null {
  const hints = cache.hints ?? sourceHints(root);
  if (taint.sourceRules.length === 0 && !setsPossible(taint.sourceSets, hints)) return null;
  const flow = new TaintFlow(taint, root, cache, null, budget);
  for (const node of values) {
    const value = flow.sinkValue(node);
    if (value.kind === 'tainted') return value.trace;
  }
  return null;
}

/** At most this many parameters of exported functions are followed to one sink. */
const MAX_ENTRIES = 4;

/**
 * For a sink no source in this file reaches: the parameters of this module's exported functions that do
 * reach it (entry mode, see flow.ts), each with its steps from the parameter to the sink.
 */
export function taintEntriesOf(taint: CompiledTaint, match: SgNode, prefix: string, cache: FileCache): (ModuleEntry & { steps: FindingTrace['steps'] })[] {
  const values = sinkValues(taint, match, prefix);
  if (values.every((node) => CONSTANT_KINDS.has(String(node.kind())))) return [];
  const root = match.getRoot().root();
  const found: (ModuleEntry & { steps: FindingTrace['steps'] })[] = [];
  const excluded = new Set<string>();
  while (found.length < MAX_ENTRIES) {
    const flow = new TaintFlow(taint, root, cache, { excluded });
    const trace = values.map((node) => flow.sinkValue(node)).find((value) => value.kind === 'tainted');
    const entry = trace?.kind === 'tainted' ? entryOfLabel(trace.trace.source.label) : null;
    if (!entry || trace?.kind !== 'tainted') break;
    excluded.add(entryName(entry.key, entry.param));
    found.push({ ...entry, steps: trace.trace.steps });
  }
  return found;
}

/** What an argument passed to another module holds for one rule (see argumentTaint). */
export interface HeldValue {
  readonly trace?: FindingTrace;
  readonly entry?: ModuleEntry & { steps: FindingTrace['steps'] };
}

/** A taint section with no source and no sanitizer: in entry mode, whether any exported parameter reaches a value at all. */
const NEUTRAL: CompiledTaint = { sinks: [], sourceSets: new Set(), sourceRules: [], sanitizers: [], inertProperties: new Set(), origin: false, remote: null };

/** Every argument of every call to another module is asked: less work each than a sink gets. */
const CALL_BUDGET: FlowBudget = { visits: 120, searches: 4 };

const unions = new WeakMap<ReadonlyMap<string, CompiledTaint>, CompiledTaint>();

/** Every rule's sources, no sanitizer: clean under it means clean under each rule. */
function unionOf(taints: ReadonlyMap<string, CompiledTaint>): CompiledTaint {
  const known = unions.get(taints);
  if (known) return known;
  const all = [...taints.values()];
  const union: CompiledTaint = { ...NEUTRAL, sourceSets: new Set(all.flatMap((taint) => [...taint.sourceSets])), sourceRules: all.flatMap((taint) => taint.sourceRules) };
  unions.set(taints, union);
  return union;
}

/** The exported parameter (if any) whose value reaches `node`, under `taint` (entry mode). */
function entryOf(taint: CompiledTaint, node: SgNode, root: SgNode, cache: FileCache): HeldValue['entry'] | null {
  const value = new TaintFlow(taint, root, cache, { excluded: new Set() }, CALL_BUDGET).sinkValue(node);
  const entry = value.kind === 'tainted' ? entryOfLabel(value.trace.source.label) : null;
  return entry && value.kind === 'tainted' ? { ...entry, steps: value.trace.steps } : null;
}

/**
 * What an expression passed to another module holds, per taint rule: data from a source here (a trace,
 * `local` when only operator input reaches it) or a parameter of this module's own exports (asked only
 * with an `entries` cache: the module exports something). Rules for which it holds nothing are absent.
 * The parameter is looked for once without any rule, then again only for rules whose sanitizers or
 * origin could stop it on the way.
 */
export function argumentTaint(taints: ReadonlyMap<string, CompiledTaint>, node: SgNode, cache: FileCache, entries: FileCache | null): Map<string, HeldValue> {
  const held = new Map<string, HeldValue>();
  if (CONSTANT_KINDS.has(String(node.kind()))) return held;
  const root = node.getRoot().root();
  cache.hints ??= sourceHints(root);
  // Most arguments hold nothing: one flow with every rule's sources and no sanitizer says so for all rules at once.
  const any = unionOf(taints);
  const possible = any.sourceRules.length > 0 || setsPossible(any.sourceSets, cache.hints);
  for (const [ruleId, taint] of possible && traceFrom(any, [node], root, cache, CALL_BUDGET) ? taints : []) {
    const remote = taint.remote && traceFrom(taint.remote, [node], root, cache);
    const trace = remote || traceFrom(taint, [node], root, cache);
    if (trace) held.set(ruleId, { trace: taint.remote && !remote ? { ...trace, local: true } : trace });
  }
  const neutral = entries ? entryOf(NEUTRAL, node, root, entries) : null;
  if (!neutral || !entries) return held;
  for (const [ruleId, taint] of taints) {
    if (held.has(ruleId)) continue;
    const entry = taint.sanitizers.length > 0 || taint.origin ? entryOf(taint, node, root, entries) : neutral;
    if (entry) held.set(ruleId, { entry });
  }
  return held;
}

function sinkValues(taint: CompiledTaint, match: SgNode, prefix: string): SgNode[] {
  return taint.sinks.flatMap((name) => {
    const single = match.getMatch(prefix + name);
    return single ? [single] : match.getMultipleMatches(prefix + name);
  });
}

/** " Untrusted data from req.query.id (line 3) via q (line 5)." for the finding's message (lines 1-based). */
export function describeTrace(trace: FindingTrace): string {
  const at = (s: FindingTrace['source']): string => `${s.label} (${s.file ? `${s.file} ` : ''}line ${s.line + 1})`;
  const via = trace.steps.map(at).join(', then ');
  return `Untrusted data from ${at(trace.source)}${via ? ` via ${via}` : ''}.`;
}
