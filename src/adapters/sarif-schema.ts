import { z } from 'zod';

/**
 * The part of SARIF 2.1.0 an import reads, checked field by field. Unknown properties are allowed (SARIF
 * producers add many); the ones read here must have the types the OASIS spec gives them.
 */
const region = z.object({
  startLine: z.number().int().positive().optional(),
  startColumn: z.number().int().positive().optional(),
  endLine: z.number().int().positive().optional(),
  endColumn: z.number().int().positive().optional(),
  charOffset: z.number().int().nonnegative().optional(),
  charLength: z.number().int().nonnegative().optional(),
});
export type SarifRegionIn = z.infer<typeof region>;

const artifactLocation = z.object({ uri: z.string().min(1), uriBaseId: z.string().optional() });
export type SarifArtifactLocationIn = z.infer<typeof artifactLocation>;

const tags = z.array(z.string()).optional();
const propertyBag = z.object({ tags, 'security-severity': z.union([z.string(), z.number()]).optional() }).optional();

const replacement = z.object({ deletedRegion: region, insertedContent: z.object({ text: z.string().optional() }).optional() });
const fix = z.object({
  artifactChanges: z.array(z.object({ artifactLocation, replacements: z.array(replacement).min(1) })).min(1),
});
export type SarifFixIn = z.infer<typeof fix>;

const result = z.object({
  ruleId: z.string().min(1).optional(),
  ruleIndex: z.number().int().nonnegative().optional(),
  rule: z.object({ id: z.string().min(1).optional(), index: z.number().int().nonnegative().optional() }).optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  message: z.object({ text: z.string().optional(), markdown: z.string().optional() }),
  locations: z.array(z.object({ physicalLocation: z.object({ artifactLocation, region: region.optional() }).optional() })).optional(),
  fixes: z.array(fix).optional(),
  properties: propertyBag,
});
export type SarifResultIn = z.infer<typeof result>;

const rule = z.object({
  id: z.string().min(1),
  defaultConfiguration: z.object({ level: z.enum(['none', 'note', 'warning', 'error']).optional() }).optional(),
  properties: propertyBag,
});
export type SarifRuleIn = z.infer<typeof rule>;

const run = z.object({
  tool: z.object({ driver: z.object({ name: z.string().min(1), version: z.string().optional(), semanticVersion: z.string().optional(), rules: z.array(rule).optional() }) }),
  originalUriBaseIds: z.record(z.string(), z.object({ uri: z.string().optional() })).optional(),
  results: z.array(result).optional(),
});
export type SarifRunIn = z.infer<typeof run>;

export const SarifLogSchema = z.object({
  version: z.literal('2.1.0', { error: 'must be "2.1.0" (only SARIF 2.1.0 is imported)' }),
  runs: z.array(run),
});
export type SarifLogIn = z.infer<typeof SarifLogSchema>;
