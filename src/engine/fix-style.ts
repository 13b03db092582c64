import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';

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
