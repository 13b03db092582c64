import { z } from 'zod';

/**
 * Text a request may carry: no NUL and no other C0 control character but tab, line feed and carriage
 * return, and no unpaired UTF-16 surrogate. PostgreSQL refuses such text deep inside a query ("invalid
 * byte sequence") and the request would answer 500; refused at the edge it answers 400 naming the field.
 */
// eslint-disable-next-line no-control-regex
const INVALID_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isValidText = (value: string): boolean => !INVALID_TEXT.test(value);

/** Every string parameter of the API goes through this one refinement (names, paths, filters, cursors). */
export const text = (): z.ZodString => z.string().refine(isValidText, { message: 'contains a NUL, a control character or invalid UTF-16' });

/** Shapes shared by several routes (OpenAPI components in spirit). */
export const uuid = z.uuid();
export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.record(z.string(), z.unknown()) }),
});
export const limit = z.coerce.number().int().min(1).max(500).default(50);
export const role = z.enum(['owner', 'admin', 'member', 'viewer']);
export const organization = z.object({ id: uuid, slug: z.string(), name: z.string() });
export const project = z.object({ id: uuid, organizationId: uuid, name: z.string(), rootPath: z.string(), gitUrl: z.string().nullable().optional(), gitRef: z.string().nullable().optional() });
export const jobRef = z.object({ kind: z.string(), jobId: z.string() });
/** 204 answers: no body. */
export const noContent = z.null().describe('No content');

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A real calendar timestamp as PostgreSQL writes it (`2026-01-31 12:00:00.123+00`), not just its shape. */
export function isTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/** Decodes a keyset cursor `base64url(JSON [timestamp, uuid])`; null when it is not one this server hands out. */
export function decodeTimeCursor(cursor: string): { createdAt: string; id: string } | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [createdAt, id] = parsed as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isTimestamp(createdAt) || !UUID_SHAPE.test(id)) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

export function encodeTimeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

/** A keyset cursor over (created_at, id): shape, date and uuid checked, so a forged one is a 400. */
export const timeCursor = text()
  .max(500)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this server handed out')
  .refine((value) => decodeTimeCursor(value) !== null, { message: 'not a cursor this server handed out; start again without it' });

const BIGINT_MAX = 9_223_372_036_854_775_807n;
/** A positive bigint id (audit entries) given as decimal text: within PostgreSQL's bigint range. */
export const bigintId = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, 'a positive whole number')
  // zod runs every check even after one failed: this one must not throw on text the regex refused.
  .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= BIGINT_MAX, { message: 'out of range' });
