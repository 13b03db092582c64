import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { astGrepLang } from './languages.js';

/**
 * The file's own quoting, so that a fix's template writes strings the way the file does (issue 14: fixes in
 * the project's style). Counted over the file's string literals in the syntax tree; a clear majority (at
 * least two thirds) decides, otherwise the template's quotes stay. Java and Go have one string quote.
 */
export type QuoteStyle = 'single' | 'double';

const QUOTED_LANGUAGES: ReadonlySet<Language> = new Set(['javascript', 'typescript', 'tsx', 'python']);
/**
 * The style of the file analyzed last: fixes are made one file at a time, many per file (hundreds of
 * `var`s), and every call of `getRoot()` gives a new wrapper, so a cache keyed by the tree never hits.
 */
let last: { readonly text: string; readonly style: QuoteStyle | null } | null = null;

export function quoteStyleOf(root: SgNode, language: Language): QuoteStyle | null {
  if (!QUOTED_LANGUAGES.has(language)) return null;
  const text = root.text();
  if (last && last.text === text) return last.style;
  let single = 0;
  let double = 0;
  for (const literal of root.findAll({ rule: { kind: 'string' } })) {
    // Python's prefixes (f, r, b, u) come before the quote; triple quotes are docstrings, not style
    const quote = literal.text().replace(/^[A-Za-z]{0,2}/, '');
    if (quote.startsWith("'''") || quote.startsWith('"""')) continue;
    if (quote.startsWith("'")) single++;
    else if (quote.startsWith('"')) double++;
  }
  const total = single + double;
  const style: QuoteStyle | null = total === 0 ? null : single * 3 >= total * 2 ? 'single' : double * 3 >= total * 2 ? 'double' : null;
  last = { text, style };
  return style;
}

/**
 * A template with its own plain string literals (no quote, backslash, placeholder or line break inside)
 * written in `style`. Bound code keeps its text: it is the file's already.
 */
export function inQuoteStyle(template: string, style: QuoteStyle | null): string {
  if (!style) return template;
  const wanted = style === 'single' ? "'" : '"';
  let out = '';
  let i = 0;
  while (i < template.length) {
    const quote = template[i] as string;
    if (quote !== "'" && quote !== '"') {
      out += quote;
      i++;
      continue;
    }
    // the literal runs to the next unescaped quote of its kind
    let end = i + 1;
    while (end < template.length && template[end] !== quote) end += template[end] === '\\' ? 2 : 1;
    const body = template.slice(i + 1, end);
    out += /^[^"'\\$\n]*$/.test(body) ? `${wanted}${body}${wanted}` : template.slice(i, end + 1);
    i = end + 1;
  }
  return out;
}

/** How the file indents one level: a tab, or a number of spaces. */
export type IndentUnit = { readonly tabs: true } | { readonly tabs: false; readonly width: number };

/**
 * The style the project declares for a kind of file (its EditorConfig, its Prettier configuration), used
 * where a file shows none of its own (too few strings or indented lines to tell): what the file does wins,
 * as a fix should look like the lines around it.
 */
export interface DeclaredStyle {
  readonly quotes?: QuoteStyle;
  readonly indent?: IndentUnit;
  readonly semicolons?: SemicolonStyle;
}

/** Declared styles by file extension (`.js`, `.py`). */
export type ProjectFixStyle = Readonly<Record<string, DeclaredStyle>>;

let lastIndent: { readonly text: string; readonly unit: IndentUnit | null } | null = null;

/** Fewest indentation steps seen before the file's habit counts (a two-line file says nothing). */
const MIN_INDENT_STEPS = 3;

/**
 * The file's indentation unit: tabs when most indented lines start with one, else the most common step by
 * which a line's indentation exceeds the line before it (2, 4 ...; steps of one are the ` * ` of block
 * comments). Null without enough evidence, and the template's own indentation stays.
 */
export function indentUnitOf(text: string): IndentUnit | null {
  if (lastIndent && lastIndent.text === text) return lastIndent.unit;
  const steps = new Map<number, number>();
  let tabbed = 0;
  let spaced = 0;
  let previous = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (indent.startsWith('\t')) {
      tabbed++;
      previous = -1;
      continue;
    }
    if (indent.length > 0) spaced++;
    const step = indent.length - previous;
    if (previous >= 0 && step >= 2 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = indent.length;
  }
  let unit: IndentUnit | null = null;
  if (tabbed > spaced && tabbed >= MIN_INDENT_STEPS) unit = { tabs: true };
  else {
    const [width, count] = [...steps].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [0, 0];
    if (count >= MIN_INDENT_STEPS) unit = { tabs: false, width };
  }
  lastIndent = { text, unit };
  return unit;
}

/**
 * A multi-line template re-indented in the file's unit: the template's own unit is its smallest
 * indentation after the first line, and each of its lines keeps its number of levels. Lines of another
 * shape (an odd alignment) are left as written.
 */
export function inIndentStyle(template: string, unit: IndentUnit | null): string {
  if (!unit || !template.includes('\n')) return template;
  const lines = template.split('\n');
  const widths = lines.slice(1).map((line) => /^ */.exec(line)?.[0].length ?? 0).filter((width) => width > 0);
  if (widths.length === 0) return template;
  const own = Math.min(...widths);
  return lines
    .map((line, index) => {
      const width = /^ */.exec(line)?.[0].length ?? 0;
      if (index === 0 || width === 0 || width % own !== 0) return line;
      const levels = width / own;
      return (unit.tabs ? '\t'.repeat(levels) : ' '.repeat(levels * unit.width)) + line.slice(width);
    })
    .join('\n');
}

/**
 * Whether a JavaScript or TypeScript file ends its statements with `;` or leaves them to automatic
 * semicolon insertion (standard style), so that a fix's statements end the way the file's do (issue 14).
 */
export type SemicolonStyle = 'always' | 'never';

const SEMICOLON_LANGUAGES: ReadonlySet<Language> = new Set(['javascript', 'typescript', 'tsx']);
/** Statements that end with `;`, or with a line break in semicolon-less code: the common ones only. */
const TERMINABLE_KINDS = ['expression_statement', 'lexical_declaration', 'variable_declaration', 'return_statement', 'import_statement', 'export_statement', 'throw_statement', 'break_statement', 'continue_statement'];
const TERMINABLE_RULE = { rule: { any: TERMINABLE_KINDS.map((kind) => ({ kind })) } };
/**
 * Where such a statement stands in a list of statements: not the initializer of `for (let i = 0; …)`, nor
 * the body of `if (a) return; else …` (where `return else` would not parse).
 */
const STATEMENT_LISTS: ReadonlySet<string> = new Set(['program', 'statement_block', 'switch_case', 'switch_default']);
/**
 * Exports left alone: those that end with their `}` (`export function f() {}`, `export default class {}`),
 * and TypeScript declarations whose `;` this does not count elsewhere either.
 */
const OTHER_EXPORTS: ReadonlySet<string> = new Set([
  'function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'function_expression', 'generator_function', 'class',
  'interface_declaration', 'enum_declaration', 'module', 'internal_module', 'type_alias_declaration', 'ambient_declaration', 'function_signature',
]);
/** Fewest statements before the file's habit counts. */
const MIN_STATEMENTS = 3;

/** Whether `node` is a statement whose end the file's semicolon style decides. */
export function isTerminableStatement(node: SgNode): boolean {
  const kind = String(node.kind());
  if (!TERMINABLE_KINDS.includes(kind) || !STATEMENT_LISTS.has(String(node.parent()?.kind()))) return false;
  return kind !== 'export_statement' || !node.children().some((child) => OTHER_EXPORTS.has(String(child.kind())));
}

function terminableStatements(root: SgNode): SgNode[] {
  return root.findAll(TERMINABLE_RULE).filter(isTerminableStatement);
}

/** The statement's last token; a trailing comment (`a() // why`) belongs to the statement but does not end it. */
function lastToken(node: SgNode): SgNode {
  const children = node.children().filter((child) => child.kind() !== 'comment');
  const last = children[children.length - 1];
  return last ? lastToken(last) : node;
}

const endsWithSemicolon = (statement: SgNode): boolean => lastToken(statement).kind() === ';';

let lastSemicolons: { readonly text: string; readonly style: SemicolonStyle | null } | null = null;

/**
 * The file's semicolon style, counted over its statements in the syntax tree: a clear majority (two thirds)
 * decides; too few statements or no majority, null. Cached for the last file, as quoteStyleOf is.
 */
export function semicolonStyleOf(root: SgNode, language: Language): SemicolonStyle | null {
  if (!SEMICOLON_LANGUAGES.has(language)) return null;
  const text = root.text();
  if (lastSemicolons && lastSemicolons.text === text) return lastSemicolons.style;
  const statements = terminableStatements(root);
  const ended = statements.filter(endsWithSemicolon).length;
  const total = statements.length;
  const style: SemicolonStyle | null = total < MIN_STATEMENTS ? null : ended * 3 >= total * 2 ? 'always' : (total - ended) * 3 >= total * 2 ? 'never' : null;
  lastSemicolons = { text, style };
  return style;
}

/** A syntax error or a token tree-sitter had to assume (MISSING tokens are zero-width). */
const PROBLEM_RULE = { rule: { any: [{ kind: 'ERROR' }, { regex: '^$' }] } };

/** A fix text parsed alone: as a program, else as an expression (wrapped in parentheses, `offset` 1). */
interface ParsedText {
  readonly source: string;
  readonly offset: 0 | 1;
  /** The terminable statements within the text itself. */
  readonly statements: readonly SgNode[];
}

function parsedAlone(text: string, language: Language): ParsedText | null {
  for (const offset of [0, 1] as const) {
    const source = offset === 0 ? text : `(${text})`;
    const root = parse(astGrepLang(language), source).root();
    if (root.find(PROBLEM_RULE)) continue;
    const statements = terminableStatements(root).filter((node) => node.range().start.index >= offset && node.range().end.index <= offset + text.length);
    return { source, offset, statements };
  }
  return null;
}

/**
 * Lines that would continue the statement before them once its `;` is gone: `(`, `[` and `` ` `` (the
 * standard style's hazards), and `+`, `-`, `/` and `<` (a JSX element) for good measure.
 */
const ASI_HAZARD = /^[([`+\-/<]/;

/**
 * Whether the statement's `;` can go: it is last in its block, or the next statement starts on a later
 * line with nothing automatic semicolon insertion would join to this one.
 */
function removableSemicolon(statement: SgNode, semicolon: SgNode, source: string): boolean {
  let next = statement.next();
  while (next && next.kind() === 'comment') next = next.next();
  if (!next || next.kind() === '}') return true;
  return source.slice(semicolon.range().end.index, next.range().start.index).includes('\n') && !ASI_HAZARD.test(next.text());
}

/** A position in the text (not the parsed source) where a `;` is removed or added. */
interface SemicolonChange {
  readonly at: number;
  readonly remove: boolean;
}

function semicolonChanges(parsed: ParsedText, style: SemicolonStyle, wholeStatement: boolean): SemicolonChange[] {
  return parsed.statements.flatMap((statement): SemicolonChange[] => {
    const last = lastToken(statement);
    const at = last.range().end.index - parsed.offset;
    if (style === 'never') return last.kind() === ';' && removableSemicolon(statement, last, parsed.source) ? [{ at: at - 1, remove: true }] : [];
    if (last.kind() === ';') return [];
    // the text's own top-level expression may be a fragment put inside another expression: no `;` after it
    const fragment = statement.kind() === 'expression_statement' && statement.parent()?.kind() === 'program' && parsed.offset === 0 && !wholeStatement;
    return fragment ? [] : [{ at, remove: false }];
  });
}

function withChanges(text: string, changes: readonly SemicolonChange[]): string {
  let out = '';
  let from = 0;
  for (const { at, remove } of [...changes].sort((a, b) => a.at - b.at)) {
    out += text.slice(from, at) + (remove ? '' : ';');
    from = remove ? at + 1 : at;
  }
  return out + text.slice(from);
}

/**
 * A fix text (an expanded template, an import line) with its statements ended in `style`: `;` removed
 * where automatic semicolon insertion gives the same program, or added where missing. `wholeStatement`
 * says the text replaces a statement, so its own top-level expression statement gets a `;` too. A text
 * that does not parse alone, or whose edited form parses into other statements, stays as written.
 */
export function inSemicolonStyle(text: string, style: SemicolonStyle | null, language: Language, wholeStatement = false): string {
  if (!style || !SEMICOLON_LANGUAGES.has(language) || text.trim() === '') return text;
  const parsed = parsedAlone(text, language);
  if (!parsed) return text;
  const changes = semicolonChanges(parsed, style, wholeStatement);
  if (changes.length === 0) return text;
  const out = withChanges(text, changes);
  const again = parsedAlone(out, language);
  return again && again.offset === parsed.offset && again.statements.length === parsed.statements.length ? out : text;
}
