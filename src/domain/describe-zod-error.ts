import type { z } from 'zod';

/** Formats a zod error as "field.path: problem" pairs, so a user can find the broken field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
}
