import { loadLlmLimits, loadLlmSettings } from '../config/llm.js';
import type { LlmSettings } from '../config/llm.js';
import { usd } from '../config/llm-plan.js';
import { RoachError } from '../domain/errors.js';
import { checkOutboundUrl } from '../integrations/net/ssrf-guard.js';
import type { OutboundPolicy } from '../integrations/net/ssrf-guard.js';
import type { TenantStore } from '../store/ports.js';
import type { LlmSource } from './llm.js';

/**
 * Where a service crawl's generated fixes come from (issue 15 point 1): the organization's settings when its
 * admins stored some (their model, endpoint, key and monthly budget), else the workers' environment. The
 * workers' keys are never lent to an organization's endpoint, and a repository's `.roach.yml` never names
 * the provider here.
 */
export async function serviceLlmSource(tenants: TenantStore, organizationId: string, outbound: OutboundPolicy, env: NodeJS.ProcessEnv = process.env): Promise<LlmSource> {
  const off = (why: string): LlmSource => ({ operator: null, projectMayNameProvider: false, note: `organization model settings: ${why}: no generated fixes in this crawl` });
  let org;
  try {
    org = await tenants.llmSettingsForCrawl(organizationId);
  } catch (error) {
    // a key sealed under a key this worker lacks (ROACH_SECRET_KEY unset or rotated away): the crawl goes on without
    if (error instanceof RoachError) return off(error.message);
    throw error;
  }
  if (!org) return { operator: loadLlmSettings(env), projectMayNameProvider: false };
  if (!org.enabled) return { operator: null, projectMayNameProvider: false };
  if (!org.apiKey && org.provider !== 'openai-compatible') return off(`no API key is stored for ${org.provider}`);
  if (org.baseUrl) {
    // checked again now: the name may resolve elsewhere than when an admin saved it
    try {
      await checkOutboundUrl(org.baseUrl, outbound);
    } catch (error) {
      if (error instanceof RoachError) return off(`the endpoint ${org.baseUrl} is refused (${error.message})`);
      throw error;
    }
  }
  const operator: LlmSettings = Object.freeze({
    ...loadLlmLimits(env),
    provider: org.provider,
    model: org.model,
    cheapModel: org.cheapModel,
    baseUrl: org.baseUrl,
    apiKey: org.apiKey,
    price: null,
  });
  if (org.monthlyBudgetUsd === null) return { operator, projectMayNameProvider: false };
  const left = Math.max(0, org.monthlyBudgetUsd - org.spentThisMonthUsd);
  const label = `${usd(org.monthlyBudgetUsd)} USD per month for the organization (${usd(org.spentThisMonthUsd)} spent before this crawl)`;
  return { operator, projectMayNameProvider: false, budgets: [{ usd: left, label }] };
}
