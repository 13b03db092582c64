import { loadLlmSettings } from '../config/llm.js';
import type { LlmSettings } from '../config/llm.js';
import type { CompiledRule } from '../engine/compiled-rule.js';
import type { FixGenerator, GeneratedFixStore } from '../fixes/ports.js';
import { llmStrategy } from '../fixes/llm-strategy.js';
import type { LlmStats, RuleBrief } from '../fixes/llm-strategy.js';
import type { FixStrategy } from '../fixes/strategies.js';
import { createFixGenerator } from '../integrations/llm/fix-generator.js';

/** The model for generated fixes and the crawl's budget, as the environment names them; null: off. */
export interface LlmSetup {
  readonly generator: FixGenerator;
  readonly budgetUsdPerCrawl: number | null;
  readonly concurrency: number;
  readonly price: LlmSettings['price'];
}

export function llmSetupOf(settings: LlmSettings | null): LlmSetup | null {
  return settings ? { generator: createFixGenerator(settings), budgetUsdPerCrawl: settings.budgetUsdPerCrawl, concurrency: settings.concurrency, price: settings.price } : null;
}

/** The setup the environment names (ROACH_LLM_PROVIDER...); null: generated fixes are off. */
export function llmSetupFromEnvironment(env: NodeJS.ProcessEnv = process.env): LlmSetup | null {
  return llmSetupOf(loadLlmSettings(env));
}

/** One crawl's `llm` strategy, told the rules' documentation; what it could not fix is said on `onStatus`. */
export function llmStrategyFor(
  setup: LlmSetup,
  rules: readonly CompiledRule[],
  store: GeneratedFixStore,
  projectStack: readonly string[],
  onStatus?: (message: string) => void,
): FixStrategy & { stats(): LlmStats } {
  const briefs = new Map<string, RuleBrief>(rules.map((rule) => [rule.definition.id, { message: rule.definition.message, rationale: rule.definition.doc.rationale, cwe: rule.definition.cwe ?? null }]));
  return llmStrategy({
    generator: setup.generator,
    ruleBrief: (ruleId) => briefs.get(ruleId) ?? null,
    store,
    projectStack,
    concurrency: setup.concurrency,
    ...(setup.price ? { price: setup.price } : {}),
    ...(setup.budgetUsdPerCrawl !== null ? { budgetUsd: setup.budgetUsdPerCrawl } : {}),
    onFailure: (finding, message) => onStatus?.(`no generated fix for ${finding.ruleId} at ${finding.file}:${finding.range.startLine + 1}: ${message}`),
  });
}
