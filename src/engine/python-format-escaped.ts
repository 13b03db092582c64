import type { SgNode } from '@ast-grep/napi';

/**
 * Markup built by splicing values into a string, taken apart into a `str.format` template and its values, so
 * a fix can have them escaped on the way in (issue 14): `mark_safe(f"<b>{name}</b>")` becomes
 * `format_html("<b>{}</b>", name)`, `Markup("<i>%s</i>" % x)` becomes `Markup("<i>{}</i>").format(x)`. Read:
 * an f-string (conversions and format specs kept, no nested fields or `=`), `"…" % (a, b)` with only `%s`,
 * `"….format(…)` of a literal, and a `+` chain of plain literals and values. Anything else: null.
 */
export interface EscapedFormat {
  /** A string literal holding the `str.format` template, in the source's own quotes. */
  readonly format: string;
  /** The values (and `.format`'s keyword arguments) as source text, comma-separated. */
  readonly args: string;
}

const named = (node: SgNode): SgNode[] => node.children().filter((child) => child.isNamed());

/** A plain literal's prefix (without f), quotes and content; null for bytes, f-strings asked not to be, or odd shapes. */
function literalOf(node: SgNode, allowF: boolean): { open: string; close: string; pieces: SgNode[] } | null {
  if (node.kind() !== 'string') return null;
  const children = node.children();
  const start = children[0];
  const end = children[children.length - 1];
  if (start?.kind() !== 'string_start' || end?.kind() !== 'string_end') return null;
  const prefix = /^[A-Za-z]*/.exec(start.text())?.[0] ?? '';
  if (/[bB]/.test(prefix) || (/[fF]/.test(prefix) && !allowF)) return null;
  return { open: start.text().replace(/[fF]/, ''), close: end.text(), pieces: children.slice(1, -1) };
}

/** An f-string as a format template (its `{{`/`}}` are format's too) and its expressions. */
function fromFString(node: SgNode): EscapedFormat | null {
  const literal = literalOf(node, true);
  if (!literal || !/[fF]/.test(node.child(0)?.text() ?? '')) return null;
  let content = '';
  const values: string[] = [];
  for (const piece of literal.pieces) {
    if (piece.kind() === 'string_content') {
      content += piece.text();
      continue;
    }
    if (piece.kind() !== 'interpolation') return null;
    const parts = named(piece);
    const expression = parts[0];
    const rest = parts.slice(1);
    // `{x=}` prints its own text; a conversion or spec (`{x!r}`, `{price:.2f}`) would apply to the escaped
    // text, not the value (format_html escapes first: `.2f` of a string raises), so only plain fields are taken
    if (!expression || rest.length > 0 || piece.children().some((c) => c.text() === '=')) return null;
    values.push(expression.text());
    content += '{}';
  }
  return values.length > 0 ? { format: `${literal.open}${content}${literal.close}`, args: values.join(', ') } : null;
}

const doubledBraces = (text: string): string => text.replace(/[{}]/g, (brace) => brace + brace);

/** `"…%s…" % (a, b)`: only `%s` and `%%` in the text, a tuple of plain values (or one value for one `%s`). */
function fromPercent(node: SgNode): EscapedFormat | null {
  const left = node.field('left');
  const right = node.field('right');
  const literal = left ? literalOf(left, false) : null;
  if (!literal || !right || literal.pieces.some((p) => p.kind() !== 'string_content')) return null;
  const text = literal.pieces.map((p) => p.text()).join('');
  const specifiers = text.match(/%./gs) ?? [];
  if (specifiers.some((s) => s !== '%s' && s !== '%%')) return null;
  const count = specifiers.filter((s) => s === '%s').length;
  const values = right.kind() === 'tuple' ? named(right) : [right];
  if (values.length !== count || values.some((v) => v.kind() === 'list_splat' || v.kind() === 'comment')) return null;
  const content = doubledBraces(text).replace(/%[s%]/g, (s) => (s === '%s' ? '{}' : '%'));
  return { format: `${literal.open}${content}${literal.close}`, args: values.map((v) => v.text()).join(', ') };
}

/** `"…{}…".format(a, b=c)`: the literal is the template already. */
function fromFormatCall(node: SgNode): EscapedFormat | null {
  const callee = node.field('function');
  const object = callee?.kind() === 'attribute' && callee.field('attribute')?.text() === 'format' ? callee.field('object') : null;
  const literal = object ? literalOf(object, false) : null;
  const args = node.field('arguments');
  if (!object || !literal || !args || named(args).length === 0 || named(args).some((a) => a.kind() === 'list_splat' || a.kind() === 'dictionary_splat')) return null;
  return { format: object.text(), args: named(args).map((a) => a.text()).join(', ') };
}

/** `"<b>" + name + "</b>"`: literals of one spelling of quotes, and values between them. */
function fromConcatenation(node: SgNode): EscapedFormat | null {
  const operands: SgNode[] = [];
  const flatten = (n: SgNode): boolean => {
    if (n.kind() === 'binary_operator' && n.field('operator')?.text() === '+') {
      const left = n.field('left');
      const right = n.field('right');
      return left !== null && right !== null && flatten(left) && flatten(right);
    }
    operands.push(n);
    return true;
  };
  if (!flatten(node)) return null;
  // an f-string among the operands is markup built in place (`f"<b>{label}</b>"`): as a value it would be escaped
  if (operands.some((o) => o.kind() === 'string' && o.find({ rule: { kind: 'interpolation' } }))) return null;
  const literals = operands.map((o) => literalOf(o, false));
  const first = literals.find((l) => l !== null);
  if (!first || literals.some((l) => l && (l.open !== first.open || l.close !== first.close || l.pieces.some((p) => p.kind() !== 'string_content')))) return null;
  let content = '';
  const values: string[] = [];
  operands.forEach((operand, index) => {
    const literal = literals[index];
    if (literal) content += doubledBraces(literal.pieces.map((p) => p.text()).join(''));
    else {
      values.push(operand.text());
      content += '{}';
    }
  });
  return values.length > 0 ? { format: `${first.open}${content}${first.close}`, args: values.join(', ') } : null;
}

/** The markup `node` builds as a format template and values; null when it is built another way. */
export function escapedFormatOf(node: SgNode): EscapedFormat | null {
  const kind = node.kind();
  if (kind === 'string') return fromFString(node);
  if (kind === 'call') return fromFormatCall(node);
  if (kind === 'binary_operator') return node.field('operator')?.text() === '%' ? fromPercent(node) : fromConcatenation(node);
  return null;
}
