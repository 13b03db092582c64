import type { SgNode } from '@ast-grep/napi';

/** Node kinds whose text names something: abstracted to $ID in a shape. */
const IDENTIFIER_KINDS = new Set([
  'identifier',
  'property_identifier',
  'shorthand_property_identifier',
  'shorthand_property_identifier_pattern',
  'private_property_identifier',
  'type_identifier',
  'statement_identifier',
  // Go
  'field_identifier',
  'package_identifier',
]);

/** Literal kinds treated as one token (their quotes and fragments are not walked). */
const LITERAL_KINDS: Readonly<Record<string, string>> = Object.freeze({
  string: '$STR',
  template_string: '$TPL',
  number: '$NUM',
  regex: '$RE',
  // Python
  integer: '$NUM',
  float: '$NUM',
  concatenated_string: '$STR',
  // Go
  interpreted_string_literal: '$STR',
  raw_string_literal: '$STR',
  int_literal: '$NUM',
  float_literal: '$NUM',
  // Java
  string_literal: '$STR',
  decimal_integer_literal: '$NUM',
  hex_integer_literal: '$NUM',
  decimal_floating_point_literal: '$NUM',
});

function collectLeaves(node: SgNode, visit: (node: SgNode) => void): void {
  const kind = String(node.kind());
  if (kind in LITERAL_KINDS || IDENTIFIER_KINDS.has(kind)) {
    visit(node);
    return;
  }
  const children = node.children();
  if (children.length === 0) {
    visit(node);
    return;
  }
  for (const child of children) collectLeaves(child, visit);
}

/**
 * Normalised shape of a match: the AST's leaf tokens with local names and literals abstracted, so
 * `eval(userInput)` and `eval(x)` share the shape `eval ( $ID )`. API names (callees, objects of
 * member access, property names) stay concrete because they carry the meaning of the pattern.
 */
export function nodeShape(node: SgNode): string {
  const tokens: string[] = [];
  collectLeaves(node, (leaf) => {
    const kind = String(leaf.kind());
    const literal = LITERAL_KINDS[kind];
    if (literal) tokens.push(literal);
    else if (IDENTIFIER_KINDS.has(kind)) tokens.push(isWellKnownName(leaf) ? leaf.text() : '$ID');
    else tokens.push(leaf.text());
  });
  return tokens.join(' ');
}

/** The match's own tokens with whitespace and comments folded, for occurrence identity. */
export function nodeTokens(node: SgNode): string {
  const tokens: string[] = [];
  collectLeaves(node, (leaf) => {
    if (leaf.kind() !== 'comment') tokens.push(leaf.text());
  });
  return tokens.join(' ');
}

/**
 * API names (eval, innerHTML, createHash...) carry the meaning of a pattern, so they stay concrete:
 * a property name, or a callee that is a plain global call. Local variable names are abstracted.
 */
/** Per grammar: the calls and member accesses whose callee, object or member name stays concrete. */
const CALLEE_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  call_expression: ['function'],
  new_expression: ['constructor'],
  call: ['function'],
  method_invocation: ['object', 'name'],
  object_creation_expression: ['type'],
  member_expression: ['object'],
  attribute: ['object', 'attribute'],
  selector_expression: ['operand', 'field'],
  field_access: ['object', 'field'],
});

function isWellKnownName(leaf: SgNode): boolean {
  const kind = String(leaf.kind());
  if (kind === 'property_identifier' || kind === 'field_identifier' || kind === 'package_identifier') return true;
  if (kind !== 'identifier' && kind !== 'type_identifier') return false;
  const parent = leaf.parent();
  if (!parent) return false;
  const fields = CALLEE_FIELDS[String(parent.kind())];
  return fields?.some((field) => parent.field(field)?.id() === leaf.id()) ?? false;
}
