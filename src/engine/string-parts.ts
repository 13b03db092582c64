import type { SgNode } from '@ast-grep/napi';

/**
 * A string built in JavaScript from literals and values, taken apart (for fixes that bind the values instead
 * of splicing them: parameterised SQL, a command's argument list): a template literal's text and `${…}`
 * expressions, or a left-leaning `+` chain that starts with a literal. Text with escapes is not read (null):
 * its characters would have to be decoded and written again.
 */

/** Literal text, or a value spliced into it. */
export type Part = { readonly text: string } | { readonly value: SgNode };

/** The parts of a template literal: its text and its `${…}` expressions; null with escapes in the text. */
function templateParts(node: SgNode): Part[] | null {
  const parts: Part[] = [];
  for (const child of node.children()) {
    const kind = child.kind();
    if (kind === '`') continue;
    if (kind === 'string_fragment') parts.push({ text: child.text() });
    else if (kind === 'template_substitution') {
      const expression = child.children().find((c) => c.isNamed());
      if (!expression) return null;
      parts.push({ value: expression });
    } else return null;
  }
  return parts;
}

/** A plain string literal's text; null with escapes in it. */
function stringText(node: SgNode): string | null {
  const inner = node.children().filter((c) => c.isNamed());
  if (inner.some((c) => c.kind() !== 'string_fragment')) return null;
  return inner.map((c) => c.text()).join('');
}

/** The parts of a literal: text, or null when it is no literal this reads. */
function literalParts(node: SgNode): Part[] | null {
  if (node.kind() === 'template_string') return templateParts(node);
  if (node.kind() === 'string') {
    const text = stringText(node);
    return text === null ? null : [{ text }];
  }
  return null;
}

/**
 * The parts of a built string: a literal, or a left-leaning `+` chain whose first operand is a literal (so every
 * `+` joins strings; an operand that is itself a sum is one value).
 */
export function builtStringParts(node: SgNode): Part[] | null {
  if (node.kind() === 'parenthesized_expression') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? builtStringParts(inner) : null;
  }
  if (node.kind() === 'binary_expression' && node.field('operator')?.text() === '+') {
    const left = node.field('left');
    const right = node.field('right');
    if (!left || !right) return null;
    const head = builtStringParts(left);
    if (!head) return null;
    return [...head, ...(literalParts(right) ?? [{ value: right }])];
  }
  return literalParts(node);
}

