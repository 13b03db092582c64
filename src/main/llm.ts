import { loadLlmSettings } from '../config/llm.js';
import type { CompiledRule } from '../engine/compiled-rule.js';
import type { FixGenerator } from '../fixes/ports.js';
import { llmStrategy } from '../fixes/llm-strategy.js';
import type { RuleBrief } from '../fixes/llm-strategy.js';
import type { FixStrategy } from '../fixes/strategies.js';
import { createFixGenerator } from '../integrations/llm/fix-generator.js';

/** The model the environment names for generated fixes (ROACH_LLM_PROVIDER...); null: generated fixes are off. */
export function fixGeneratorFromEnvironment(env: NodeJS.ProcessEnv = process.env): FixGenerator | null {
  const settings = loadLlmSettings(env);
  return settings ? createFixGenerator(settings) : null;
}

/** The `llm` strategy over `generator`, told the rules' documentation; failures are reported on `onStatus`. */
export function llmStrategyFor(generator: FixGenerator, rules: readonly CompiledRule[], onStatus?: (message: string) => void): FixStrategy {
  const briefs = new Map<string, RuleBrief>(rules.map((rule) => [rule.definition.id, { message: rule.definition.message, rationale: rule.definition.doc.rationale, cwe: rule.definition.cwe ?? null }]));
  return llmStrategy({
    generator,
    ruleBrief: (ruleId) => briefs.get(ruleId) ?? null,
    onFailure: (finding, message) => onStatus?.(`no generated fix for ${finding.ruleId} at ${finding.file}:${finding.range.startLine + 1}: ${message}`),
  });
}
