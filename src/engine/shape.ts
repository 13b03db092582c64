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
]);

/** Literal kinds treated as one token (their quotes and fragments are not walked). */
const LITERAL_KINDS: Readonly<Record<string, string>> = Object.freeze({
  string: '$STR',
  template_string: '$TPL',
  number: '$NUM',
  regex: '$RE',
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
function isWellKnownName(leaf: SgNode): boolean {
  const kind = String(leaf.kind());
  if (kind === 'property_identifier') return true;
  if (kind !== 'identifier') return false;
  const parent = leaf.parent();
  if (!parent) return false;
  const parentKind = parent.kind();
  if (parentKind === 'call_expression' || parentKind === 'new_expression') {
    const callee = parent.field(parentKind === 'call_expression' ? 'function' : 'constructor');
    return callee?.id() === leaf.id();
  }
  if (parentKind === 'member_expression') return parent.field('object')?.id() === leaf.id();
  return false;
}
