import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { bindingPath, contains, enclosingFunction, startOf } from './syntax.js';

/**
 * One place that gives a variable a value. `declare` and `assign` replace the value; `append` (`+=`),
 * `mutate` (`x.push(v)`, `x.k = v`) and `iterate` (`for (x of v)`) add to it.
 */
export interface Definition {
  readonly node: SgNode;
  readonly kind: 'declare' | 'assign' | 'append' | 'mutate' | 'iterate';
  /** The expressions whose value flows in. */
  readonly values: readonly SgNode[];
  /** Destructuring keys from the value to the variable (see bindingPath). */
  readonly path: readonly string[];
}

const MUTATING_METHODS = new Set(['push', 'unshift']);

const CANDIDATE_KINDS = {
  any: [
    { kind: 'variable_declarator' },
    { kind: 'assignment_expression' },
    { kind: 'augmented_assignment_expression' },
    { kind: 'for_in_statement' },
    { kind: 'call_expression', has: { field: 'function', kind: 'member_expression' } },
  ],
};

/** Constructs that may define `name`, found natively: only those mentioning the name are looked at in JS. */
function candidatesOf(name: string): NapiConfig {
  const mentions = { stopBy: 'end', any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }], regex: `^${name.replaceAll('$', '\\$')}$` };
  return { rule: { ...CANDIDATE_KINDS, has: mentions } as NapiConfig['rule'] };
}

function rootIdentifier(node: SgNode): SgNode | null {
  let current: SgNode | null = node;
  while (current && (current.kind() === 'member_expression' || current.kind() === 'subscript_expression')) current = current.field('object');
  return current?.kind() === 'identifier' ? current : null;
}

function definitionOf(node: SgNode, name: string): Definition | null {
  switch (node.kind()) {
    case 'variable_declarator': {
      const pattern = node.field('name');
      const value = node.field('value');
      const path = pattern ? bindingPath(pattern, name) : null;
      return path && value ? { node, kind: 'declare', values: [value], path } : null;
    }
    case 'assignment_expression': {
      const left = node.field('left');
      const right = node.field('right');
      if (!left || !right) return null;
      if (left.kind() === 'identifier') return left.text() === name ? { node, kind: 'assign', values: [right], path: [] } : null;
      if (left.kind() === 'object_pattern' || left.kind() === 'array_pattern') {
        const path = bindingPath(left, name);
        return path ? { node, kind: 'assign', values: [right], path } : null;
      }
      return rootIdentifier(left)?.text() === name ? { node, kind: 'mutate', values: [right], path: [] } : null;
    }
    case 'augmented_assignment_expression': {
      const left = node.field('left');
      const right = node.field('right');
      return left?.text() === name && right ? { node, kind: 'append', values: [right], path: [] } : null;
    }
    case 'for_in_statement': {
      const { left, right } = loopParts(node);
      const path = left ? bindingPath(left, name) : null;
      return path && right ? { node, kind: 'iterate', values: [right], path: [] } : null;
    }
    case 'call_expression': {
      const callee = node.field('function');
      const object = callee?.field('object');
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the typings promise the field for one node kind; at run time the callee may be another kind
      const method = callee?.field('property')?.text();
      if (!object || !method || !MUTATING_METHODS.has(method) || object.text() !== name) return null;
      return { node, kind: 'mutate', values: node.field('arguments')?.namedChildren() ?? [], path: [] };
    }
    default:
      return null;
  }
}

/**
 * The binding and the iterated value of `for (const x of xs)`: read around the `of`/`in` keyword,
 * because ast-grep's `left` field lands on the iterated value when a declaration keyword is present.
 */
function loopParts(node: SgNode): { left: SgNode | null; right: SgNode | null } {
  const children = node.children();
  const keyword = children.findIndex((child) => child.kind() === 'of' || child.kind() === 'in');
  if (keyword < 0) return { left: null, right: null };
  const left = children.slice(0, keyword).reverse().find((child) => child.isNamed()) ?? null;
  const right = children.slice(keyword + 1).find((child) => child.isNamed()) ?? null;
  return { left, right };
}

/** Every definition of `name` made directly in `fn` (not in functions nested in it), in source order. */
export function definitionsIn(scope: SgNode, fn: SgNode | null, name: string): Definition[] {
  const found: Definition[] = [];
  for (const node of scope.findAll(candidatesOf(name))) {
    const definition = definitionOf(node, name);
    if (!definition) continue;
    const owner = enclosingFunction(node);
    if ((owner?.id() ?? null) !== (fn?.id() ?? null)) continue;
    found.push(definition);
  }
  return found;
}

/** Statements under which a definition runs only sometimes. */
const CONDITIONAL_KINDS = new Set([
  'if_statement',
  'else_clause',
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
  'switch_case',
  'switch_default',
  'catch_clause',
  'ternary_expression',
  'binary_expression',
]);

/** True when the definition runs on every path that reaches `use` (it is not in a branch `use` is outside). */
function dominates(definition: Definition, use: SgNode, scope: SgNode): boolean {
  for (let node = definition.node.parent(); node && node.id() !== scope.id(); node = node.parent()) {
    if (CONDITIONAL_KINDS.has(String(node.kind())) && !contains(node, use)) return false;
  }
  return true;
}

/**
 * The definitions that may give `name` its value at `use`: the ones before it, newest first, up to
 * and including the last one that replaces the value on every path. `complete` says whether such a
 * replacing definition was found (if not, the parameter or outer variable may still reach).
 */
export function reachingDefinitions(all: readonly Definition[], use: SgNode, scope: SgNode): { definitions: Definition[]; complete: boolean } {
  // A definition that contains the use runs after reading it (`x = f(x)`), except a loop's binding.
  const before = all.filter((d) => startOf(d.node) < startOf(use) && (d.kind === 'iterate' || !contains(d.node, use))).reverse();
  const definitions: Definition[] = [];
  for (const definition of before) {
    definitions.push(definition);
    if ((definition.kind === 'declare' || definition.kind === 'assign') && dominates(definition, use, scope)) return { definitions, complete: true };
  }
  return { definitions, complete: false };
}
