import { loadLlmSettings } from '../config/llm.js';
import type { LlmSettings } from '../config/llm.js';
import { planLlm, ruleMatches } from '../config/llm-plan.js';
import type { LlmBudget, LlmPlan, LlmPlanOutcome } from '../config/llm-plan.js';
import type { ProjectLlmConfig } from '../config/schema.js';
import type { CompiledRule } from '../engine/compiled-rule.js';
import type { Finding } from '../domain/finding.js';
import type { FixGenerator, GeneratedFixStore } from '../fixes/ports.js';
import { llmStrategy } from '../fixes/llm-strategy.js';
import type { LlmStats, RuleBrief } from '../fixes/llm-strategy.js';
import type { FixStrategy } from '../fixes/strategies.js';
import { createFixGenerator } from '../integrations/llm/fix-generator.js';

/**
 * Where a crawl's generated-fix settings come from: the operator's (the environment, or in service mode the
 * organization's, see service-llm.ts), null for none, before the project's `.roach.yml` tunes them.
 */
export interface LlmSource {
  readonly operator: LlmSettings | null;
  /** Limits the operator adds beyond the settings (the organization's monthly budget). */
  readonly budgets?: readonly LlmBudget[];
  /** See PlanOptions.projectMayNameProvider. */
  readonly projectMayNameProvider: boolean;
  /** Why the operator's settings give no model (a missing key, a refused endpoint), for the report. */
  readonly note?: string;
}

/** The models for generated fixes of one crawl, and its limits. */
export interface LlmSetup {
  readonly plan: LlmPlan;
  readonly generator: FixGenerator;
  readonly cheapGenerator: FixGenerator | null;
}

/** The environment's settings (ROACH_LLM_PROVIDER...): what an embedded crawl starts from. */
export function llmSourceFromEnvironment(env: NodeJS.ProcessEnv = process.env, projectMayNameProvider = true): LlmSource {
  return { operator: loadLlmSettings(env), projectMayNameProvider };
}

/** The setup for one project: the source tuned by its `llm:` section; a note when its wish was not followed. */
export function llmSetupFor(source: LlmSource, project: ProjectLlmConfig, env: NodeJS.ProcessEnv = process.env): { setup: LlmSetup | null; note: string | null } {
  const outcome: LlmPlanOutcome = planLlm(source.operator, project, { env, projectMayNameProvider: source.projectMayNameProvider });
  if (!outcome.plan) return { setup: null, note: project.enabled ? (source.note ?? outcome.note) : null };
  const plan = source.budgets && source.budgets.length > 0 ? { ...outcome.plan, budgets: [...outcome.plan.budgets, ...source.budgets] } : outcome.plan;
  const { settings } = plan;
  const cheapGenerator = settings.cheapModel && settings.cheapModel !== settings.model ? createFixGenerator({ ...settings, model: settings.cheapModel, price: null }) : null;
  return { setup: { plan, generator: createFixGenerator(settings), cheapGenerator }, note: outcome.note };
}

/** Whether the plan lets `finding` be sent, and whether it goes to the cheaper model. */
const accepts = (plan: LlmPlan) => (finding: Finding) =>
  (plan.rules.length === 0 || ruleMatches(finding.ruleId, plan.rules)) && !ruleMatches(finding.ruleId, plan.excludeRules);
const forCheap = (plan: LlmPlan) => (finding: Finding) => plan.cheapFor.severities.includes(finding.severity) || ruleMatches(finding.ruleId, plan.cheapFor.rules);

/** One crawl's `llm` strategy, told the rules' documentation; what it could not fix is said on `onStatus`. */
export function llmStrategyFor(
  setup: LlmSetup,
  rules: readonly CompiledRule[],
  store: GeneratedFixStore,
  projectStack: readonly string[],
  onStatus?: (message: string) => void,
): FixStrategy & { stats(): LlmStats } {
  const briefs = new Map<string, RuleBrief>(rules.map((rule) => [rule.definition.id, { message: rule.definition.message, rationale: rule.definition.doc.rationale, cwe: rule.definition.cwe ?? null }]));
  const { plan } = setup;
  return llmStrategy({
    generator: setup.generator,
    ruleBrief: (ruleId) => briefs.get(ruleId) ?? null,
    store,
    projectStack,
    concurrency: plan.settings.concurrency,
    ...(plan.settings.price ? { price: plan.settings.price } : {}),
    budgets: plan.budgets,
    ...(plan.maxFixes !== null ? { maxCalls: plan.maxFixes } : {}),
    accepts: accepts(plan),
    ...(setup.cheapGenerator ? { cheap: { generator: setup.cheapGenerator, for: forCheap(plan) } } : {}),
    onFailure: (finding, message) => onStatus?.(`no generated fix for ${finding.ruleId} at ${finding.file}:${finding.range.startLine + 1}: ${message}`),
  });
}
