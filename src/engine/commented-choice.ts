/**
 * A choice the maintainer explained where it is made: `// also send the cookie on plain http (not every
 * user has https)` above `secure: false`, `// Handle expiration manually ...` above `ignoreExpiration:
 * true`. For rules that allow it (`commentedChoice: true`), such a comment is the project's decision, as a
 * reviewer reads it: the finding is not reported. Only comment nodes of the tree are read, and only the
 * block that ends on the line right above the statement holding the finding (or the finding's own line),
 * so a comment elsewhere in the file never counts.
 */
import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { commentBody } from './other-suppressions.js';
import { COMMENT_KINDS } from './suppressions.js';

/** Words that give a reason or say the choice is deliberate. */
const REASON = /\b(because|since|so that|in order to|otherwise|deliberately|intentionally|on purpose|by design|needed|needs|required|requires|must|to allow|to avoid|to keep|to support|manually|not every|instead of|expected|compatib\w*|matches)\b/i;
/** A comment that records a problem to fix is no decision. */
const OPEN_PROBLEM = /\b(todo|fixme|xxx|hack|insecure|unsafe|vulnerab\w*)\b/i;

/** Kinds that end the climb from the finding to its statement: the line a reader sees the choice on. */
const STATEMENT = /(statement|declaration|pair|keyword_argument|assignment|field_definition|public_field_definition|property_signature|element)$/;

export interface CommentLines {
  /** Comment bodies by the 0-based line they end on (several on one line are joined). */
  readonly byEndLine: ReadonlyMap<number, { readonly startLine: number; readonly body: string }>;
}

/** The file's comments, read once per file and only when a rule that allows commented choices matched. */
export function commentLines(root: SgRoot, language: Language): CommentLines {
  const byEndLine = new Map<number, { startLine: number; body: string }>();
  for (const node of root.root().findAll({ rule: { any: COMMENT_KINDS[language].map((kind) => ({ kind })) } })) {
    const { start, end } = node.range();
    const previous = byEndLine.get(end.line);
    byEndLine.set(end.line, { startLine: Math.min(previous?.startLine ?? start.line, start.line), body: `${previous?.body ?? ''} ${commentBody(node.text())}` });
  }
  return { byEndLine };
}

/** The comment block ending right above `line` (contiguous comment lines, at most 8), as one text. */
function blockAbove(comments: CommentLines, line: number): string {
  const parts: string[] = [];
  for (let at = line - 1, lines = 0; lines < 8; lines++) {
    const comment = comments.byEndLine.get(at);
    if (!comment) break;
    parts.unshift(comment.body);
    at = comment.startLine - 1;
  }
  return parts.join(' ');
}

/** Whether the node's statement (or the node itself) carries a comment that explains the choice. */
export function isCommentedChoice(node: SgNode, comments: CommentLines): boolean {
  let statement = node;
  for (let up = node.parent(); up && !STATEMENT.test(String(statement.kind())); up = up.parent()) statement = up;
  const lines = new Set([node.range().start.line, statement.range().start.line]);
  const texts = [...lines].flatMap((line) => [blockAbove(comments, line), comments.byEndLine.get(line)?.body ?? '']);
  return texts.some((text) => REASON.test(text) && !OPEN_PROBLEM.test(text));
}
