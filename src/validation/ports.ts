/** One recorded validation step: what ran, whether it passed, and what it said. */
export interface ValidationStep {
  readonly step: 'reparse' | 'reanalyze' | 'check' | 'coverage';
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
  readonly durationMs: number;
}
