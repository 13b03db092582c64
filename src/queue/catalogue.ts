import { z } from 'zod';
import type { Priority } from '../domain/priority.js';

const id = z.uuid();
const threshold = z.number().min(0).max(1);

/**
 * Every job Code Roach runs, in one place: its queue, payload schema, default priority, attempts,
 * backoff and timeout. Payloads are parsed with these schemas when enqueued and again when taken.
 */
export const JOB_CATALOGUE = {
  'codebase-crawl': {
    payload: z.strictObject({
      organizationId: id,
      projectId: id,
      apply: z.boolean().default(false),
      generateFixes: z.boolean().default(true),
      threshold: threshold.optional(),
      requestedBy: z.string().max(200).optional(),
    }),
    priority: 'normal',
    attempts: 3,
    backoffMs: 5_000,
    timeoutMs: 60 * 60_000,
  },
  analysis: {
    // Detection only (no fix generated): keeps issues and file health current.
    payload: z.strictObject({ organizationId: id, projectId: id, requestedBy: z.string().max(200).optional() }),
    priority: 'normal',
    attempts: 3,
    backoffMs: 5_000,
    timeoutMs: 30 * 60_000,
  },
  'fix-application': {
    payload: z.strictObject({
      organizationId: id,
      projectId: id,
      fixId: id,
      action: z.enum(['apply', 'reject', 'rollback']),
      actor: z.string().min(1).max(200),
      reason: z.string().max(2000).optional(),
    }),
    priority: 'high',
    attempts: 3,
    backoffMs: 2_000,
    timeoutMs: 10 * 60_000,
  },
  notifications: {
    payload: z.strictObject({
      organizationId: id,
      event: z.string().min(1).max(100),
      title: z.string().min(1).max(300),
      text: z.string().max(10_000),
      severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).default('info'),
      channels: z
        // A stored channel travels by id (its URL and secret stay sealed in the database until delivery);
        // an operator's ad-hoc target may be given as a URL.
        .array(z.union([z.strictObject({ type: z.enum(['webhook', 'slack']), url: z.url({ protocol: /^https?$/ }) }), z.strictObject({ channelId: id })]))
        .min(1)
        .max(20),
    }),
    priority: 'normal',
    attempts: 5,
    backoffMs: 1_000,
    timeoutMs: 60_000,
  },
} as const satisfies Record<string, { payload: z.ZodType; priority: Priority; attempts: number; backoffMs: number; timeoutMs: number }>;

export type JobKind = keyof typeof JOB_CATALOGUE;
export const JOB_KINDS = Object.keys(JOB_CATALOGUE) as JobKind[];
/** What a caller passes (defaults may be left out). */
export type JobInput<K extends JobKind> = z.input<(typeof JOB_CATALOGUE)[K]['payload']>;
/** What a handler receives (defaults filled in). */
export type JobPayload<K extends JobKind> = z.output<(typeof JOB_CATALOGUE)[K]['payload']>;

export function isJobKind(value: string): value is JobKind {
  return Object.hasOwn(JOB_CATALOGUE, value);
}

/** Exponential backoff: the delay before retry `attempt` (1 = first retry). */
export function backoffDelay(kind: JobKind, attempt: number): number {
  return JOB_CATALOGUE[kind].backoffMs * 2 ** Math.max(0, attempt - 1);
}
