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
function fromFString(node: SgNode): Taken | null {
  const literal = literalOf(node, true);
  if (!literal || !/[fF]/.test(node.child(0)?.text() ?? '')) return null;
  let content = '';
  const values: SgNode[] = [];
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
    values.push(expression);
    content += '{}';
  }
  return values.length > 0 ? { format: `${literal.open}${content}${literal.close}`, values } : null;
}

const doubledBraces = (text: string): string => text.replace(/[{}]/g, (brace) => brace + brace);

/** `"…%s…" % (a, b)`: only `%s` and `%%` in the text, a tuple of plain values (or one value for one `%s`). */
function fromPercent(node: SgNode): Taken | null {
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
  return { format: `${literal.open}${content}${literal.close}`, values };
}

/** `"…{}…".format(a, b=c)`: the literal is the template already. */
function fromFormatCall(node: SgNode): Taken | null {
  const callee = node.field('function');
  const object = callee?.kind() === 'attribute' && callee.field('attribute')?.text() === 'format' ? callee.field('object') : null;
  const literal = object ? literalOf(object, false) : null;
  const args = node.field('arguments');
  if (!object || !literal || !args || named(args).length === 0 || named(args).some((a) => a.kind() === 'list_splat' || a.kind() === 'dictionary_splat')) return null;
  return { format: object.text(), values: named(args) };
}

/** `"<b>" + name + "</b>"`: literals of one spelling of quotes, and values between them. */
function fromConcatenation(node: SgNode): Taken | null {
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
  const values: SgNode[] = [];
  operands.forEach((operand, index) => {
    const literal = literals[index];
    if (literal) content += doubledBraces(literal.pieces.map((p) => p.text()).join(''));
    else {
      values.push(operand);
      content += '{}';
    }
  });
  return values.length > 0 ? { format: `${first.open}${content}${first.close}`, values } : null;
}

/** A template literal and the nodes of its values, before they are judged. */
interface Taken {
  readonly format: string;
  readonly values: readonly SgNode[];
}

/** Calls whose result is markup on purpose: escaping it again would show it as text. */
const MARKUP_CALL = /(^|\.)(join|format_html|format_html_join|mark_safe|render|render_to_string|as_widget|json\.dumps|dumps)$/;

/** Whether a string-building expression: a literal, an f-string, a concatenation, a `%` or a `.format`/`.join` call. */
function builtString(node: SgNode): boolean {
  const kind = node.kind();
  if (kind === 'string' || kind === 'concatenated_string') return true;
  if (kind === 'binary_operator') return ['+', '%'].includes(node.field('operator')?.text() ?? '');
  if (kind === 'call') return /\.(join|format)$/.test(node.field('function')?.text() ?? '');
  return false;
}

/**
 * Whether `name` is given a built string in the function around `at` (`footer = f"<tr>…"`, `rows += …`): then it
 * holds markup the code made on purpose, and escaping it would show that markup as text.
 */
function assignedMarkup(name: string, at: SgNode): boolean {
  const scope = at.ancestors().find((n) => n.kind() === 'function_definition') ?? at.getRoot().root();
  return scope.findAll({ rule: { any: [{ kind: 'assignment' }, { kind: 'augmented_assignment' }] } }).some((assignment) => {
    if (assignment.field('left')?.text() !== name) return false;
    const right = assignment.field('right');
    return assignment.kind() === 'augmented_assignment' || (right !== null && builtString(right));
  });
}

/**
 * Whether a spliced value is plain data, which escaping leaves as it shows: a name, an attribute, a number,
 * a call that returns data. Markup the code builds on purpose is not (a literal, a conditional between
 * literals, a join of rows, `*_html`, a widget's render, a name given an f-string in the same function).
 */
function plainData(value: SgNode): boolean {
  const node = value.kind() === 'keyword_argument' ? value.field('value') : value;
  if (!node) return false;
  const kind = node.kind();
  if (kind === 'integer' || kind === 'float') return true;
  if (kind === 'identifier') return !/html$/i.test(node.text()) && !assignedMarkup(node.text(), node);
  if (kind === 'attribute') return !/html$/i.test(node.field('attribute')?.text() ?? '');
  if (kind === 'subscript') return true;
  if (kind === 'call') return !MARKUP_CALL.test(node.field('function')?.text() ?? '');
  return false;
}

/**
 * The markup `node` builds as a format template and values; null when it is built another way, when a value
 * is markup itself (escaping it would break the page), or inside a `<script>` (HTML escaping is not JavaScript's).
 */
export function escapedFormatOf(node: SgNode): EscapedFormat | null {
  const kind = node.kind();
  let taken: Taken | null = null;
  if (kind === 'string') taken = fromFString(node);
  else if (kind === 'call') taken = fromFormatCall(node);
  else if (kind === 'binary_operator') taken = node.field('operator')?.text() === '%' ? fromPercent(node) : fromConcatenation(node);
  if (!taken || /<script/i.test(taken.format) || !taken.values.every(plainData)) return null;
  return { format: taken.format, args: taken.values.map((v) => v.text()).join(', ') };
}
