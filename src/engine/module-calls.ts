import type { SgNode } from '@ast-grep/napi';
import type { ModuleArgument, ModuleCall } from '../domain/module-facts.js';
import type { CompiledRule } from './compiled-rule.js';
import { argumentTaint, newFileCache } from './taint/index.js';
import type { HeldValue } from './taint/index.js';
import { calledExport, exportsAnything, importBindings } from './taint/modules.js';
import { positionOf } from './taint/syntax.js';

/** Calls of other modules' functions recorded per file: enough for real code, bounded for generated. */
const MAX_CALLS = 200;
const LABEL_LIMIT = 80;

/**
 * The calls this module makes to functions of other modules of the project, with what each argument
 * holds for each taint rule (see domain/module-facts.ts): the crawl joins them with the callee module's
 * sinks. Calls whose arguments hold nothing for any rule are left out.
 */
export function moduleCallsOf(root: SgNode, rules: readonly CompiledRule[], typed: boolean): ModuleCall[] {
  const taints = new Map(rules.flatMap((rule) => (rule.taint ? [[rule.definition.id, rule.taint] as const] : [])));
  if (taints.size === 0) return [];
  const bindings = importBindings(root, typed);
  const inline = root.find({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier', regex: '^require$' } } });
  if (bindings.size === 0 && !inline) return [];
  // Budgets of their own: the sinks of the file have spent theirs (see taint/flow.ts).
  const cache = newFileCache();
  const entries = exportsAnything(root) ? newFileCache() : null;
  const calls: ModuleCall[] = [];
  for (const call of root.findAll({ rule: { kind: 'call_expression' } })) {
    const target = calledExport(call, bindings);
    if (!target) continue;
    const args = call.field('arguments')?.namedChildren() ?? [];
    const facts = args.flatMap((arg, index) => grouped(index, argumentTaint(taints, arg, cache, entries)));
    if (facts.length === 0) continue;
    const label = call.field('function')?.text() ?? target.key;
    calls.push({ ...target, label: label.length > LABEL_LIMIT ? `${label.slice(0, LABEL_LIMIT)}…` : label, ...positionOf(call), args: facts });
    if (calls.length >= MAX_CALLS) break;
  }
  return calls;
}

/** One fact per distinct value, naming every rule it holds for (most rules see an argument alike). */
function grouped(index: number, held: ReadonlyMap<string, HeldValue>): ModuleArgument[] {
  const byValue = new Map<string, { ruleIds: string[]; value: HeldValue }>();
  for (const [ruleId, value] of held) {
    const key = JSON.stringify(value);
    const group = byValue.get(key);
    if (group) group.ruleIds.push(ruleId);
    else byValue.set(key, { ruleIds: [ruleId], value });
  }
  return [...byValue.values()].map(({ ruleIds, value }) => ({ ruleIds, index, ...value }));
}
