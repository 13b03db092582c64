import type { z } from 'zod';

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(top level)';
}

/** Formats a zod error as "field.path: problem" pairs, so a user can find the broken field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) =>
      // An unknown key is reported by zod on the object holding it; name the key's own path instead.
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown key`)
        : [`${fieldPath(issue.path)}: ${issue.message}`],
    )
    .join('; ');
}
