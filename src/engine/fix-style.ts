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
