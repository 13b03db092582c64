import { z } from 'zod';
import { uuid } from '../schemas.js';

/** A fix as the review and decision routes answer it. */
export const fix = z.object({
  id: uuid, issueId: uuid, crawlId: z.string().nullable(), ruleId: z.string(), patternFingerprint: z.string(), strategy: z.string(), safety: z.enum(['safe', 'unsafe']),
  edits: z.array(z.unknown()).readonly(), template: z.string().nullable(), diff: z.string(), confidence: z.number(),
  validation: z.array(z.object({ step: z.string(), name: z.string(), passed: z.boolean(), detail: z.string(), durationMs: z.number() })).readonly(),
  status: z.string(), statusReason: z.string().nullable(), explanation: z.string().nullable(),
  generationCostUsd: z.number().nullable().describe('A generated fix: what its call cost in USD (0 for a kept answer); null otherwise or without a price'), createdAt: z.string(), decidedBy: z.string().nullable(),
  filePaths: z.array(z.string()).readonly(), issueFingerprint: z.string(), filePath: z.string(), line: z.number(), severity: z.string(), message: z.string(),
});
