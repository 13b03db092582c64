import type { SgNode } from '@ast-grep/napi';

const FUNCTION_KINDS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
]);

/** Wrappers whose value is the value of their (first named) child. */
export const TRANSPARENT_KINDS = new Set([
  'parenthesized_expression',
  'await_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
  'spread_element',
  'template_substitution',
]);

export function isFunction(node: SgNode): boolean {
  return FUNCTION_KINDS.has(String(node.kind()));
}

export function enclosingFunction(node: SgNode): SgNode | null {
  for (let parent = node.parent(); parent; parent = parent.parent()) if (FUNCTION_KINDS.has(String(parent.kind()))) return parent;
  return null;
}

export function startOf(node: SgNode): number {
  return node.range().start.index;
}

export function contains(outer: SgNode, inner: SgNode): boolean {
  const a = outer.range();
  const b = inner.range();
  return a.start.index <= b.start.index && b.end.index <= a.end.index;
}

/** The parameter nodes of a function, arrow functions with one bare parameter included. */
export function parametersOf(fn: SgNode): SgNode[] {
  const single = fn.field('parameter');
  if (single) return [single];
  return fn.field('parameters')?.namedChildren() ?? [];
}

/** The binding pattern of a parameter and its TypeScript type text, if any. */
export function parameterParts(param: SgNode): { pattern: SgNode; type: string | null } {
  const kind = param.kind();
  if (kind === 'required_parameter' || kind === 'optional_parameter') {
    const pattern = param.field('pattern') ?? param;
    const annotation = param.field('type')?.namedChildren()[0];
    return { pattern: unwrapDefault(pattern), type: annotation ? annotation.text() : null };
  }
  return { pattern: unwrapDefault(param), type: null };
}

function unwrapDefault(pattern: SgNode): SgNode {
  return pattern.kind() === 'assignment_pattern' ? (pattern.field('left') ?? pattern) : pattern;
}

/**
 * Where `name` sits inside a binding pattern, as the property keys leading to it: `[]` for the
 * identifier itself, `['query', 'id']` for `{ query: { id } }`, null when the pattern does not bind it.
 */
export function bindingPath(pattern: SgNode, name: string): string[] | null {
  switch (pattern.kind()) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return pattern.text() === name ? [] : null;
    case 'object_pattern':
      for (const child of pattern.namedChildren()) {
        const found = objectPatternEntry(child, name);
        if (found) return found;
      }
      return null;
    case 'array_pattern':
      for (const child of pattern.namedChildren()) {
        const inner = bindingPath(unwrapDefault(child), name);
        if (inner) return ['[]', ...inner];
      }
      return null;
    case 'assignment_pattern':
    case 'rest_pattern':
      return pattern.namedChildren()[0] ? bindingPath(unwrapDefault(pattern.namedChildren()[0] as SgNode), name) : null;
    default:
      return null;
  }
}

function objectPatternEntry(child: SgNode, name: string): string[] | null {
  switch (child.kind()) {
    case 'shorthand_property_identifier_pattern':
      return child.text() === name ? [name] : null;
    case 'object_assignment_pattern': {
      const left = child.field('left');
      return left && left.text() === name ? [name] : null;
    }
    case 'pair_pattern': {
      const key = child.field('key');
      const value = child.field('value');
      if (!key || !value) return null;
      const inner = bindingPath(unwrapDefault(value), name);
      return inner ? [propertyName(key), ...inner] : null;
    }
    case 'rest_pattern': {
      const inner = child.namedChildren()[0];
      return inner && inner.text() === name ? [] : null;
    }
    default:
      return null;
  }
}

/** A property key's name: `id`, `'id'` and `["id"]` are all `id`. */
export function propertyName(key: SgNode): string {
  if (key.kind() === 'string') return key.namedChildren()[0]?.text() ?? '';
  if (key.kind() === 'computed_property_name') {
    const inner = key.namedChildren()[0];
    return inner?.kind() === 'string' ? propertyName(inner) : key.text();
  }
  return key.text();
}

/** `a.b.c` for a chain of plain property reads, null for anything else (calls, subscripts). */
export function dottedName(node: SgNode): string | null {
  if (node.kind() === 'identifier') return node.text();
  if (node.kind() !== 'member_expression') return null;
  const object = node.field('object');
  const property = node.field('property');
  const base = object ? dottedName(object) : null;
  return base && property ? `${base}.${property.text()}` : null;
}

/** 0-based line and column of a node, for trace steps. */
export function positionOf(node: SgNode): { line: number; column: number } {
  const { start } = node.range();
  return { line: start.line, column: start.column };
}
