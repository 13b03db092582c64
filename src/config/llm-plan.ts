import { RoachError } from '../domain/errors.js';
import type { Severity } from '../domain/severity.js';
import { loadLlmSettings } from './llm.js';
import type { LlmSettings } from './llm.js';
import type { ProjectLlmConfig } from './schema.js';

/**
 * One project's generated-fix plan: the operator's settings (environment, or the organization's in service
 * mode) tuned by the project's `llm:` section of `.roach.yml`. The operator decides where code may go
 * (provider, endpoint, key); the project may turn generated fixes off, pick the model, narrow the rules, and
 * lower the spending limits and the concurrency, never raise the operator's.
 */

/** A spending limit and how a skipped fix names it ("2.00 USD per crawl"). */
export interface LlmBudget {
  readonly usd: number;
  readonly label: string;
}

export interface LlmPlan {
  readonly settings: LlmSettings;
  /** Every limit that holds; the first one reached stops further calls. */
  readonly budgets: readonly LlmBudget[];
  readonly maxFixes: number | null;
  /** Rule ids or `prefix/*` patterns whose findings may be sent; empty: all. */
  readonly rules: readonly string[];
  readonly excludeRules: readonly string[];
  /** Which findings go to `settings.cheapModel` (when there is one). */
  readonly cheapFor: { readonly severities: readonly Severity[]; readonly rules: readonly string[] };
}

/** What the plan came to: the plan, or none; and a note for the report when the project's wish was not followed. */
export interface LlmPlanOutcome {
  readonly plan: LlmPlan | null;
  readonly note: string | null;
}

export const usd = (amount: number): string => (amount === 0 || amount >= 0.01 ? amount.toFixed(2) : String(amount));

/** Whether `ruleId` is named by one of `patterns` (an exact id, or `js/*` for every rule under `js/`). */
export function ruleMatches(ruleId: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.endsWith('/*') ? ruleId.startsWith(pattern.slice(0, -1)) : pattern === '*' || pattern === ruleId));
}

export interface PlanOptions {
  readonly env: NodeJS.ProcessEnv;
  /**
   * Whether the project's file may name the provider when the operator named none: embedded runs of the
   * user's own checkout, yes; the service crawling repositories from anyone, no (a repository must not
   * send its code, with a key the worker happens to hold, to a provider the operator did not choose).
   */
  readonly projectMayNameProvider: boolean;
}

/** The operator's settings when the project names the provider itself (embedded only), or why not. */
function projectNamedSettings(project: ProjectLlmConfig, options: PlanOptions): LlmPlanOutcome | LlmSettings {
  const provider = project.provider as string;
  if (!options.projectMayNameProvider) {
    return { plan: null, note: `.roach.yml names llm.provider ${provider}, but this service's operator configured no provider: no generated fixes (a repository cannot choose where its code is sent)` };
  }
  try {
    const settings = loadLlmSettings({ ...options.env, ROACH_LLM_PROVIDER: provider, ROACH_LLM_MODEL: project.model ?? options.env.ROACH_LLM_MODEL ?? '' });
    return settings ?? { plan: null, note: null };
  } catch (error) {
    if (!(error instanceof RoachError)) throw error;
    return { plan: null, note: `.roach.yml names llm.provider ${provider}, but ${error.message.replace(/^Invalid LLM settings: /, '')}: no generated fixes in this crawl` };
  }
}

/** The plan for one crawl of a project, from the operator's settings (null: none) and the project's section. */
export function planLlm(operator: LlmSettings | null, project: ProjectLlmConfig, options: PlanOptions): LlmPlanOutcome {
  if (!project.enabled) return { plan: null, note: null };
  let base: LlmSettings;
  let note: string | null = null;
  if (operator) {
    base = operator;
    if (project.provider && project.provider !== operator.provider) {
      note = `.roach.yml names llm.provider ${project.provider}, but the operator's provider is ${operator.provider}: the operator's is used, with its model`;
    }
  } else if (project.provider) {
    const named = projectNamedSettings(project, options);
    if ('plan' in named) return named;
    base = named;
  } else {
    return { plan: null, note: null };
  }
  const sameProvider = note === null;
  const settings: LlmSettings = Object.freeze({
    ...base,
    model: sameProvider && project.model ? project.model : base.model,
    cheapModel: sameProvider && project.cheapModel ? project.cheapModel : base.cheapModel,
    // a slow local model may need longer; the concurrency stays within what the operator's provider allows
    timeoutMs: project.timeoutMs ?? base.timeoutMs,
    concurrency: project.concurrency !== undefined ? Math.min(project.concurrency, base.concurrency) : base.concurrency,
    // the operator's price is for the operator's model; a model the project picked is priced from the table
    price: sameProvider && project.model && project.model !== base.model ? null : base.price,
  });
  const budgets: LlmBudget[] = [];
  if (base.budgetUsdPerCrawl !== null) budgets.push({ usd: base.budgetUsdPerCrawl, label: `${usd(base.budgetUsdPerCrawl)} USD per crawl` });
  if (project.maxCostUsd !== undefined) budgets.push({ usd: project.maxCostUsd, label: `${usd(project.maxCostUsd)} USD per crawl (.roach.yml llm.maxCostUsd)` });
  const limits = [base.maxFixesPerCrawl, project.maxFixes ?? null].filter((n): n is number => n !== null);
  return {
    plan: Object.freeze({
      settings,
      budgets: Object.freeze(budgets),
      maxFixes: limits.length > 0 ? Math.min(...limits) : null,
      rules: project.rules,
      excludeRules: project.excludeRules,
      cheapFor: project.cheapFor,
    }),
    note,
  };
}
