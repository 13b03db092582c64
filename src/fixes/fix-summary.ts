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
}
