/** What ranking needs of a template: its record and how many examples taught it. */
export interface TemplateRecord {
  readonly successes: number;
  readonly failures: number;
  readonly exampleCount: number;
}

/**
 * Competing templates of one pattern, best first: by the Laplace-smoothed success rate of the fixes
 * they produced ((s + 1) / (s + f + 2), so an untried template ranks at 0.5 and one rejection pushes
 * it below an untried rival), then by the number of human fixes that agree with it. Stable otherwise.
 */
export function rankTemplates<T extends TemplateRecord>(templates: readonly T[]): T[] {
  const rate = (t: TemplateRecord): number => (t.successes + 1) / (t.successes + t.failures + 2);
  return [...templates].sort((a, b) => rate(b) - rate(a) || b.exampleCount - a.exampleCount);
}
