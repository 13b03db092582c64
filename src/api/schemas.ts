import { z } from 'zod';

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
