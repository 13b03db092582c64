import type { SgRoot } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';

/** The pseudo-rule that reports a suppression comment without a reason. */
export const SUPPRESSION_RULE = 'roach/suppression-without-reason';

export interface Suppression {
  /** 0-based line whose findings are suppressed. */
  readonly line: number;
  /** Rule ids, or null for every rule. */
  readonly rules: ReadonlySet<string> | null;
  readonly reason: string | null;
  /** Where the comment is, for reporting a missing reason. */
  readonly comment: { readonly startLine: number; readonly startColumn: number; readonly endLine: number; readonly endColumn: number; readonly startOffset: number; readonly endOffset: number; readonly text: string };
}

const COMMENT_KINDS: Readonly<Record<Language, readonly string[]>> = Object.freeze({
  javascript: ['comment'],
  typescript: ['comment'],
  tsx: ['comment'],
  python: ['comment'],
  go: ['comment'],
  java: ['line_comment', 'block_comment'],
});

/** `// x`, `# x`, `/* x *\/` -> `x`. The comment node is already known to be a comment. */
function commentBody(text: string): string {
  if (text.startsWith('/*')) return text.slice(2, text.endsWith('*/') ? -2 : undefined).replace(/^\s*\*/gm, '').trim();
  if (text.startsWith('//')) return text.slice(2).trim();
  if (text.startsWith('#')) return text.slice(1).trim();
  return text.trim();
}

const DIRECTIVE = /^roach-ignore(-next-line)?(?=\s|$)\s*(.*)$/s;

/**
 * The suppression comments of a parsed file: `roach-ignore-next-line [rule, ...] -- reason` covers
 * the line after the comment, `roach-ignore [rule, ...] -- reason` the comment's own line. Comments
 * are found as comment nodes of the tree, so text inside strings never counts.
 */
export function suppressionsOf(root: SgRoot, language: Language, text: string): Suppression[] {
  // Most files have none; skip the tree walk for them.
  if (!text.includes('roach-ignore')) return [];
  const kinds = COMMENT_KINDS[language];
  const out: Suppression[] = [];
  for (const node of root.root().findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })) {
    const match = DIRECTIVE.exec(commentBody(node.text()));
    if (!match) continue;
    const [, nextLine, rest = ''] = match;
    const [ruleText = '', ...reasonParts] = rest.split(/\s--\s?|^--\s?/);
    const reason = reasonParts.join(' -- ').trim() || null;
    const ids = ruleText.split(/[\s,]+/).filter(Boolean);
    const range = node.range();
    out.push({
      line: nextLine ? range.end.line + 1 : range.start.line,
      rules: ids.length > 0 ? new Set(ids) : null,
      reason,
      comment: {
        startLine: range.start.line,
        startColumn: range.start.column,
        endLine: range.end.line,
        endColumn: range.end.column,
        startOffset: range.start.index,
        endOffset: range.end.index,
        text: node.text(),
      },
    });
  }
  return out;
}

/** Whether a finding of `ruleId` starting on `line` is suppressed. */
export function isSuppressed(suppressions: readonly Suppression[], ruleId: string, line: number): boolean {
  return suppressions.some((s) => s.line === line && (s.rules === null || s.rules.has(ruleId)));
}
