/** How one generated fix ended in this crawl. */
export type FixDecision = 'applied' | 'queued' | 'failed-validation' | 'failed-apply' | 'skipped-overlap';

export interface FixSummary {
  readonly fixId: string | null;
  readonly ruleId: string;
  readonly file: string;
  readonly line: number;
  readonly strategy: string;
  readonly safety: 'safe' | 'unsafe';
  readonly confidence: number;
  readonly decision: FixDecision;
  readonly reason: string | null;
  /** With --validate-with-tests, when the tests passed with the fix: whether its changed lines ran, and why. */
  readonly tests?: { readonly linesRan: 'ran' | 'not-ran' | 'not-measured'; readonly detail: string };
  /** A generated fix's explanation for its reviewer. */
  readonly explanation?: string;
  /** A generated fix: what its call cost in USD (0: a kept answer; null: a model without a price). */
  readonly generationCostUsd?: number | null;
  /** A queued fix's edits as SARIF carries them (`--format sarif` gives its results their proposed fix). */
  readonly replacements?: readonly FixReplacement[];
}

/** One replacement of a proposed fix: 1-based lines and columns in UTF-16 code units, the end exclusive. */
export interface FixReplacement {
  readonly file: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly text: string;
}

/** The line and column (1-based) of `offset` in `text`. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Edits as replacements, each against the text its file had (`texts` by path); an edit of a file not given is left out. */
export function replacementsOf(edits: readonly { file: string; start: number; end: number; text: string }[], texts: ReadonlyMap<string, string>): FixReplacement[] {
  return edits.flatMap((edit) => {
    const text = texts.get(edit.file);
    if (text === undefined) return [];
    const start = positionIn(text, edit.start);
    const end = positionIn(text, edit.end);
    return [{ file: edit.file, startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column, text: edit.text }];
  });
}
