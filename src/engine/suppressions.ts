import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import type { Category } from '../domain/severity.js';
import { placeOf } from './suppression-model.js';
import type { Suppression } from './suppression-model.js';
import { commentBody, javaSuppressions, otherToolSuppression, OTHER_TOOL_MARKERS } from './other-suppressions.js';
import type { FileContext } from './other-suppressions.js';

/** The pseudo-rule that reports a suppression comment without a reason. */
export const SUPPRESSION_RULE = 'roach/suppression-without-reason';

export const COMMENT_KINDS: Readonly<Record<Language, readonly string[]>> = Object.freeze({
  javascript: ['comment'],
  typescript: ['comment'],
  tsx: ['comment'],
  python: ['comment'],
  go: ['comment'],
  java: ['line_comment', 'block_comment'],
});

const DIRECTIVE = /^roach-ignore(-next-line)?(?=\s|$)\s*(.*)$/s;

/** `roach-ignore-next-line [rule, ...] -- reason` covers the line after the comment, `roach-ignore ...` its own line. */
function roachSuppression(node: SgNode, body: string): Suppression | null {
  const match = DIRECTIVE.exec(body);
  if (!match) return null;
  const [, nextLine, rest = ''] = match;
  const [ruleText = '', ...reasonParts] = rest.split(/\s--\s?|^--\s?/);
  const ids = ruleText.split(/[\s,]+/).filter(Boolean);
  const comment = placeOf(node);
  const line = nextLine ? comment.endLine + 1 : comment.startLine;
  return { tool: 'roach', fromLine: line, toLine: line, rules: ids.length > 0 ? new Set(ids) : null, categories: null, reason: reasonParts.join(' -- ').trim() || null, comment };
}

/**
 * The suppressions of a parsed file: Code Roach's own `roach-ignore` comments and other tools' for rules
 * that ours repeat (`eslint-disable*`, `/* eslint rule: 0 *\/`, `nosemgrep`, `# noqa`, `# nosec`,
 * `//nolint`, Java's `@SuppressWarnings`; see other-suppressions.ts). Comments are found as comment nodes
 * of the tree, so text inside strings never counts.
 */
export function suppressionsOf(root: SgRoot, language: Language, text: string, otherTools = true): Suppression[] {
  // Most files have none; skip the tree walk for them.
  const ours = text.includes('roach-ignore');
  const theirs = otherTools && OTHER_TOOL_MARKERS[language].some((marker) => text.includes(marker));
  if (!ours && !theirs) return [];
  const out: Suppression[] = [];
  const context: FileContext = { text, lineCount: countLines(text), state: { openBlocks: [] } };
  const top = root.root();
  for (const node of top.findAll({ rule: { any: COMMENT_KINDS[language].map((kind) => ({ kind })) } })) {
    const body = commentBody(node.text());
    const own = ours ? roachSuppression(node, body) : null;
    if (own) out.push(own);
    else if (theirs) out.push(...otherToolSuppression(node, body, language, context));
  }
  if (theirs && language === 'java') out.push(...javaSuppressions(top));
  // A block `eslint-disable` never re-enabled runs to the end of the file.
  out.push(...context.state.openBlocks);
  return out;
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Whether a finding of a rule starting on `line` is suppressed. */
export function isSuppressed(suppressions: readonly Suppression[], rule: { readonly id: string; readonly category: Category }, line: number): boolean {
  return suppressions.some(
    (s) => line >= s.fromLine && line <= s.toLine && (s.rules !== null ? s.rules.has(rule.id) : s.categories === null || s.categories.has(rule.category)),
  );
}
