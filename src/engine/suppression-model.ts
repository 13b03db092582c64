import type { SgNode } from '@ast-grep/napi';
import type { SourceRange } from '../domain/finding.js';
import type { Category } from '../domain/severity.js';

/** Whose suppression it is: only Code Roach's own need a reason; the others are the project's earlier decisions. */
export type SuppressionTool = 'roach' | 'eslint' | 'oxlint' | 'semgrep' | 'noqa' | 'nosec' | 'pylint' | 'nolint' | 'java';

/** Where a suppression comment is, and its text. */
export interface CommentPlace extends SourceRange {
  readonly text: string;
}

export interface Suppression {
  readonly tool: SuppressionTool;
  /** 0-based lines (inclusive) whose findings are suppressed: a finding counts by its first line. */
  readonly fromLine: number;
  readonly toLine: number;
  /** Our rule ids (another tool's names already mapped; an unknown name maps to none), or null for every rule. */
  readonly rules: ReadonlySet<string> | null;
  /** With `rules` null: only rules of these categories (`# nosec`: security), or null for every category. */
  readonly categories: ReadonlySet<Category> | null;
  readonly reason: string | null;
  /** Where the comment (or annotation) is, for reporting a missing reason. */
  readonly comment: CommentPlace;
}

export function placeOf(node: SgNode): CommentPlace {
  const range = node.range();
  return {
    startLine: range.start.line,
    startColumn: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
    startOffset: range.start.index,
    endOffset: range.end.index,
    text: node.text(),
  };
}
