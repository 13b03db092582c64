import type { SourceRange } from '../domain/finding.js';

/** A place the grammar could not parse: an ERROR node, or a MISSING token tree-sitter had to assume. */
export interface SyntaxProblem {
  readonly range: SourceRange;
  readonly kind: 'error' | 'missing';
  /** For a missing node, what the parser expected there. */
  readonly expected: string | null;
}
