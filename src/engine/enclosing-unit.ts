import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { astGrepLang } from './languages.js';

/**
 * The code a generated fix may rewrite (issue 15): the innermost function or method around the finding, as
 * the syntax tree draws it, not a fixed number of lines; outside any function, the top-level statement that
 * holds it. And the file's imports, which the model is shown but may not change.
 */
export interface EnclosingUnit {
  /** Offsets of the unit in the source (UTF-16), whole lines' text between them. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** What the unit is: `function`, `method`, `statement`. */
  readonly kind: 'function' | 'method' | 'statement';
  /** The file's import statements, in order. */
  readonly imports: readonly string[];
}

const FUNCTION_KINDS: Readonly<Record<Language, readonly string[]>> = {
  javascript: ['function_declaration', 'generator_function_declaration', 'method_definition', 'function_expression', 'arrow_function'],
  typescript: ['function_declaration', 'generator_function_declaration', 'method_definition', 'function_expression', 'arrow_function'],
  tsx: ['function_declaration', 'generator_function_declaration', 'method_definition', 'function_expression', 'arrow_function'],
  python: ['function_definition'],
  go: ['function_declaration', 'method_declaration', 'func_literal'],
  java: ['method_declaration', 'constructor_declaration'],
};

const IMPORT_KINDS: Readonly<Record<Language, readonly string[]>> = {
  javascript: ['import_statement'],
  typescript: ['import_statement'],
  tsx: ['import_statement'],
  python: ['import_statement', 'import_from_statement'],
  go: ['import_declaration'],
  java: ['import_declaration'],
};

/** A unit longer than this is not sent: the model would have to reproduce all of it to change one line. */
export const MAX_UNIT_CHARS = 12_000;

/**
 * A function written out with the declaration that names it (`const f = () => …`, `export function`, a
 * Python decorator), so the model sees the name; a callback (`app.get('/', (req, res) => …)`) is itself.
 */
function widened(node: SgNode): SgNode {
  let current = node;
  for (let parent = current.parent(); parent; parent = parent.parent()) {
    const kind = String(parent.kind());
    if (kind === 'variable_declarator' || kind === 'lexical_declaration' || kind === 'variable_declaration' || kind === 'export_statement' || kind === 'decorated_definition') current = parent;
    else break;
  }
  return current;
}

function kindOf(node: SgNode): EnclosingUnit['kind'] {
  const kind = String(node.kind());
  return kind === 'method_definition' || kind === 'method_declaration' || kind === 'constructor_declaration' ? 'method' : 'function';
}

/** The unit around `start..end` of `source`; null when it is larger than MAX_UNIT_CHARS or the file holds none. */
export function enclosingUnitOf(source: string, language: Language, start: number, end: number): EnclosingUnit | null {
  const root = parse(astGrepLang(language), source).root();
  const imports = root
    .children()
    .filter((child) => IMPORT_KINDS[language].includes(String(child.kind())))
    .map((child) => child.text());
  const kinds = FUNCTION_KINDS[language];
  let node = innermost(root, kinds, start, end);
  let kind: EnclosingUnit['kind'] = 'statement';
  if (node) {
    kind = kindOf(node);
    node = widened(node);
  } else {
    node = root.children().find((child) => child.range().start.index <= start && end <= child.range().end.index) ?? null;
  }
  if (!node) return null;
  // from the start of its line when it starts the line (its indentation is part of what the model sees and
  // gives back); a callback starts where it starts, after `app.get('/', `
  const nodeStart = node.range().start.index;
  const lineStart = source.lastIndexOf('\n', nodeStart - 1) + 1;
  const from = source.slice(lineStart, nodeStart).trim() === '' ? lineStart : nodeStart;
  const to = node.range().end.index;
  const text = source.slice(from, to);
  return text.length > MAX_UNIT_CHARS ? null : { start: from, end: to, text, kind, imports };
}

/** The innermost node of one of `kinds` that contains the span. */
function innermost(root: SgNode, kinds: readonly string[], start: number, end: number): SgNode | null {
  let best: SgNode | null = null;
  for (const node of root.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })) {
    const range = node.range();
    if (range.start.index <= start && end <= range.end.index && (!best || range.end.index - range.start.index < best.range().end.index - best.range().start.index)) best = node;
  }
  return best;
}
