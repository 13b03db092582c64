import type { SgNode } from '@ast-grep/napi';
import { enclosingFunction, isFunction } from './syntax.js';

/** Lookups over the whole file, shared by the taint rules of one file. */
export interface CallIndex {
  readonly calls: Map<string, SgNode[]>;
  readonly functions: Map<string, SgNode | null>;
  readonly returns: Map<number, SgNode[]>;
}

export function newCallIndex(): CallIndex {
  return { calls: new Map(), functions: new Map(), returns: new Map() };
}

/** Callbacks whose first parameter receives the receiver's elements or result: items.forEach(item => ...). */
const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'find', 'findLast', 'some', 'every', 'then']);

function escapeName(name: string): string {
  return name.replaceAll('$', '\\$');
}

/** The name a function is called by: `function f`, `const f = () => ...`, `f: function () {}`, a method `f() {}`. */
export function functionName(fn: SgNode): string | null {
  const own = fn.field('name');
  if (own && (fn.kind() === 'function_declaration' || fn.kind() === 'method_definition' || fn.kind() === 'generator_function_declaration')) return own.text();
  const parent = fn.parent();
  if (parent?.kind() === 'variable_declarator' && parent.field('name')?.kind() === 'identifier') return parent.field('name')?.text() ?? null;
  if (parent?.kind() === 'pair') return parent.field('key')?.text() ?? null;
  return null;
}

/** Calls in the file whose callee is `name` or a member named `name` (`this.name(...)`, `service.name(...)`). */
export function callsTo(root: SgNode, name: string, index: CallIndex): SgNode[] {
  const cached = index.calls.get(name);
  if (cached) return cached;
  const pattern = `^${escapeName(name)}$`;
  const found = root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', any: [{ kind: 'identifier', regex: pattern }, { kind: 'member_expression', has: { field: 'property', regex: pattern } }] },
    },
  });
  index.calls.set(name, found);
  return found;
}

/** The function a plain call `name(...)` runs, when this file declares it (by declaration or a const-bound function). */
export function localFunction(root: SgNode, name: string, index: CallIndex): SgNode | null {
  if (index.functions.has(name)) return index.functions.get(name) ?? null;
  const pattern = `^${escapeName(name)}$`;
  const declared =
    root.find({ rule: { kind: 'function_declaration', has: { field: 'name', regex: pattern } } }) ??
    root.find({ rule: { kind: 'variable_declarator', has: { field: 'name', kind: 'identifier', regex: pattern } } })?.field('value') ??
    null;
  const fn = declared && isFunction(declared) ? declared : null;
  index.functions.set(name, fn);
  return fn;
}

/** What a function returns: its expression body, or the values of its own return statements. */
export function returnedValues(fn: SgNode, index: CallIndex): SgNode[] {
  const cached = index.returns.get(fn.id());
  if (cached) return cached;
  const body = fn.field('body');
  let values: SgNode[] = [];
  if (body && body.kind() !== 'statement_block') values = [body];
  else if (body) {
    values = body
      .findAll({ rule: { kind: 'return_statement' } })
      .filter((statement) => enclosingFunction(statement)?.id() === fn.id())
      .flatMap((statement) => statement.namedChildren().slice(0, 1));
  }
  index.returns.set(fn.id(), values);
  return values;
}

/** For `xs.forEach((x) => ...)` and `p.then((v) => ...)`: the receiver whose value parameter 0 gets. */
export function iteratedReceiver(fn: SgNode): SgNode | null {
  const call = fn.parent()?.kind() === 'arguments' ? fn.parent()?.parent() : null;
  const callee = call?.field('function');
  if (callee?.kind() !== 'member_expression') return null;
  return ITERATING_METHODS.has(callee.field('property')?.text() ?? '') ? callee.field('object') : null;
}

/** Whether `root` passes the function named `name` to a call such as `router.get('/x', name)`. */
export function passedTo(root: SgNode, name: string, methods: ReadonlySet<string>): boolean {
  const pattern = `^${escapeName(name)}$`;
  for (const argument of root.findAll({ rule: { kind: 'identifier', regex: pattern, inside: { kind: 'arguments' } } })) {
    const callee = argument.parent()?.parent()?.field('function');
    const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : callee?.text();
    if (method && methods.has(method)) return true;
  }
  return false;
}
