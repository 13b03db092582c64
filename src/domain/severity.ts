/** How bad a finding is. Ordered from worst to mildest. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What kind of problem a finding is. */
export const CATEGORIES = ['security', 'bug', 'performance', 'maintainability', 'style'] as const;
export type Category = (typeof CATEGORIES)[number];

/** 0 for critical up to 3 for low: lower runs first, matching BullMQ priorities later. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at least as bad as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
