import type { Severity } from './severity.js';

/** Job priorities, most urgent first. Security-critical work overtakes everything else. */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** 1 runs first (BullMQ's convention: a lower number is served earlier). */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority) + 1;
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/** The priority of work about an issue of this severity. */
export function priorityOfSeverity(severity: Severity): Priority {
  switch (severity) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
      return 'normal';
    case 'low':
      return 'low';
  }
}
